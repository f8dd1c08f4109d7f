// Memory settings for a process that runs one suite and exits.
#pragma once

namespace edgeprobe::cli {

// glibc gives the free top of each heap back to the kernel as soon as it
// passes 128 KB, and a run of thousands of checks frees and re-grows the same
// megabytes all the time: 4,400 mprotect() calls and their page faults in a
// run of 10,000 tcp checks, 5-9 % of its CPU (tests/bench/README.md). A run
// ends within minutes, so it keeps what it freed until it exits. `serve` does
// not call this: it runs for months and hands memory back after a burst.
void keep_freed_memory_until_exit();

} // namespace edgeprobe::cli
