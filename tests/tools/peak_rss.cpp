// peak_rss PROGRAM ARGS...: runs PROGRAM, then appends "peak-rss-kib: N" to
// stderr: the peak resident set of PROGRAM and its children, from wait4.
// Tests measure the binary's memory through it rather than forking it from the
// test process: a child's ru_maxrss starts at the RSS of whatever forked it
// (the kernel carries the old image's peak across exec), and a test binary
// holding a generated suite in memory would hide the number being measured.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: peak_rss PROGRAM ARGS...\n");
    return 2;
  }
  const pid_t pid = ::fork();
  if (pid < 0) return 2;
  if (pid == 0) {
    ::execvp(argv[1], argv + 1);
    ::_exit(127);
  }
  int status = 0;
  struct rusage usage {};
  if (::wait4(pid, &status, 0, &usage) != pid) return 2;
  std::fprintf(stderr, "\npeak-rss-kib: %ld\n", usage.ru_maxrss);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
