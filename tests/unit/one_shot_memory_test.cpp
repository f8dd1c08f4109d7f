#include "cli/one_shot_memory.hpp"

#include <doctest/doctest.h>

#include <malloc.h>

#include <vector>

// glibc trims the top of the heap on free once it passes M_TRIM_THRESHOLD
// (128 KB by default): without the setting, the 8 MB freed here would be back
// with the kernel and keepcost (the free top the heap still holds) small.
TEST_CASE("a run keeps the memory it freed: the heap's top is not trimmed") {
  edgeprobe::cli::keep_freed_memory_until_exit();
  malloc_trim(0); // start from a trimmed heap
  std::vector<void*> blocks;
  for (int i = 0; i < 8192; ++i) blocks.push_back(std::malloc(1024)); // below the mmap threshold: from the heap
  for (auto it = blocks.rbegin(); it != blocks.rend(); ++it) std::free(*it);
  CHECK(mallinfo2().keepcost > 4u << 20); // about 8 MB with the setting, under 128 KB without
}
