#include "cli/one_shot_memory.hpp"

#include <malloc.h>

namespace edgeprobe::cli {

void keep_freed_memory_until_exit() {
  // No run frees a gigabyte at the top of a heap, so this never trims;
  // growing 16 MB at a time costs no memory until a page is touched.
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  mallopt(M_TOP_PAD, 16 << 20);
}

} // namespace edgeprobe::cli
