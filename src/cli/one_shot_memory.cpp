#include "cli/one_shot_memory.hpp"

#include <malloc.h>

namespace edgeprobe::cli {

void keep_freed_memory_until_exit() {
  // Trimming only past 1 GiB is never in a run; growing by 16 MB at a time
  // costs no memory until a page is touched.
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  mallopt(M_TOP_PAD, 16 << 20);
}

} // namespace edgeprobe::cli
