// Runs the edgeprobe binary (or any program) from tests, the way a user would:
// arguments, environment, stdout, stderr and the exit code.
#pragma once
#include <chrono>
#include <string>
#include <vector>

namespace edgeprobe::test {

struct process_output {
  int exit_code = -1; // 128 + signal when killed
  std::string out;
  std::string err;
  long peak_rss_kib = 0; // run_edgeprobe_measured only
};

// Runs to completion; killed (and the test told) after `limit`.
process_output run_process(const std::vector<std::string>& argv,
                           std::chrono::seconds limit = std::chrono::seconds(120));

// `edgeprobe ARGS...` from the build tree.
process_output run_edgeprobe(const std::vector<std::string>& args,
                             std::chrono::seconds limit = std::chrono::seconds(120));

// `edgeprobe ARGS...` through tests/tools/peak_rss.cpp: its peak RSS too.
process_output run_edgeprobe_measured(const std::vector<std::string>& args,
                                      std::chrono::seconds limit = std::chrono::seconds(120));

// A program left running while the test talks to it (edgeprobe listen).
class background_process {
public:
  // `with_stderr`: stderr goes into the same pipe as stdout (serve logs there).
  explicit background_process(const std::vector<std::string>& argv, bool with_stderr = false);
  ~background_process(); // SIGKILL if still running
  background_process(const background_process&) = delete;
  background_process& operator=(const background_process&) = delete;

  // Reads stdout until a line containing `text`; returns everything read so far.
  // Throws std::runtime_error when the program exits or `limit` passes first.
  std::string read_until(const std::string& text, std::chrono::seconds limit = std::chrono::seconds(10));

  // Sends `signal` and goes on (SIGHUP for a reload).
  void signal(int signal);

  // Sends `signal` and waits for the exit code (128 + signal when it killed it).
  int stop(int signal, std::chrono::seconds limit = std::chrono::seconds(10));

  // After stop(): everything the program wrote to stdout that read_until did not
  // already return, up to its end.
  std::string rest(std::chrono::seconds limit = std::chrono::seconds(10));

private:
  int pid_ = -1;
  int stdout_fd_ = -1;
  std::string buffered_;
};

} // namespace edgeprobe::test
