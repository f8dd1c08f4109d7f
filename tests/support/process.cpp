#include "support/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <stdexcept>
#include <system_error>

namespace edgeprobe::test {

namespace {

using steady = std::chrono::steady_clock;

[[noreturn]] void fail_errno(const char* what) { throw std::system_error(errno, std::generic_category(), what); }

struct pipe_pair {
  int read = -1, write = -1;
  pipe_pair() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) fail_errno("pipe2");
    read = fds[0];
    write = fds[1];
  }
};

// fork + exec with stdout/stderr on the given pipes (stderr may be -1: inherit).
int spawn(const std::vector<std::string>& argv, int out_fd, int err_fd) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) fail_errno("fork");
  if (pid == 0) {
    ::dup2(out_fd, STDOUT_FILENO);
    if (err_fd >= 0) ::dup2(err_fd, STDERR_FILENO);
    const int devnull = ::open("/dev/null", O_RDONLY);
    ::dup2(devnull, STDIN_FILENO);
    ::execvp(args[0], args.data());
    ::_exit(127);
  }
  return pid;
}

int decode(int status) { return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status); }

int milliseconds_left(steady::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - steady::now()).count();
  return left > 0 ? static_cast<int>(left) : 0;
}

} // namespace

process_output run_process(const std::vector<std::string>& argv, std::chrono::seconds limit) {
  pipe_pair out, err;
  const int pid = spawn(argv, out.write, err.write);
  ::close(out.write);
  ::close(err.write);
  process_output result;
  const auto deadline = steady::now() + limit;
  pollfd fds[2] = {{out.read, POLLIN, 0}, {err.read, POLLIN, 0}};
  std::string* sinks[2] = {&result.out, &result.err};
  int open_pipes = 2;
  bool killed = false;
  while (open_pipes > 0) {
    if (::poll(fds, 2, milliseconds_left(deadline)) == 0) {
      ::kill(pid, SIGKILL); // ran past its limit: the test reports the exit code
      killed = true;
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP))) continue;
      char buffer[65536];
      const auto n = ::read(fds[i].fd, buffer, sizeof buffer);
      if (n > 0) {
        sinks[i]->append(buffer, static_cast<std::size_t>(n));
      } else {
        ::close(fds[i].fd);
        fds[i].fd = -1;
        --open_pipes;
      }
    }
  }
  for (auto& f : fds)
    if (f.fd >= 0) ::close(f.fd);
  int status = 0;
  ::waitpid(pid, &status, 0);
  result.exit_code = decode(status);
  if (killed) result.err += "\n[test: killed after " + std::to_string(limit.count()) + " s]";
  return result;
}

process_output run_edgeprobe(const std::vector<std::string>& args, std::chrono::seconds limit) {
  std::vector<std::string> argv{EDGEPROBE_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_process(argv, limit);
}

process_output run_edgeprobe_measured(const std::vector<std::string>& args, std::chrono::seconds limit) {
  std::vector<std::string> argv{EDGEPROBE_PEAK_RSS, EDGEPROBE_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  auto result = run_process(argv, limit);
  const std::string tag = "\npeak-rss-kib: ";
  if (const auto at = result.err.rfind(tag); at != std::string::npos) {
    result.peak_rss_kib = std::stol(result.err.substr(at + tag.size()));
    result.err.erase(at);
  }
  return result;
}

background_process::background_process(const std::vector<std::string>& argv, bool with_stderr) {
  pipe_pair out;
  pid_ = spawn(argv, out.write, with_stderr ? out.write : -1);
  ::close(out.write);
  stdout_fd_ = out.read;
}

background_process::~background_process() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  if (stdout_fd_ >= 0) ::close(stdout_fd_);
}

void background_process::signal(int signal) {
  if (pid_ > 0) ::kill(pid_, signal);
}

std::string background_process::read_until(const std::string& text, std::chrono::seconds limit) {
  const auto deadline = steady::now() + limit;
  while (buffered_.find(text) == std::string::npos) {
    pollfd fd{stdout_fd_, POLLIN, 0};
    if (::poll(&fd, 1, milliseconds_left(deadline)) == 0)
      throw std::runtime_error("no \"" + text + "\" within the limit; output so far: " + buffered_);
    char buffer[4096];
    const auto n = ::read(stdout_fd_, buffer, sizeof buffer);
    if (n <= 0) throw std::runtime_error("the program ended before printing \"" + text + "\": " + buffered_);
    buffered_.append(buffer, static_cast<std::size_t>(n));
  }
  return buffered_;
}

std::string background_process::rest(std::chrono::seconds limit) {
  const auto deadline = steady::now() + limit;
  std::string out = std::move(buffered_);
  buffered_.clear();
  for (;;) {
    pollfd fd{stdout_fd_, POLLIN, 0};
    if (::poll(&fd, 1, milliseconds_left(deadline)) == 0) break;
    char buffer[4096];
    const auto n = ::read(stdout_fd_, buffer, sizeof buffer);
    if (n <= 0) break;
    out.append(buffer, static_cast<std::size_t>(n));
  }
  return out;
}

int background_process::stop(int signal, std::chrono::seconds limit) {
  ::kill(pid_, signal);
  const auto deadline = steady::now() + limit;
  int status = 0;
  while (::waitpid(pid_, &status, WNOHANG) == 0) {
    if (steady::now() > deadline) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
      break;
    }
    ::usleep(10000);
  }
  pid_ = -1;
  return decode(status);
}

} // namespace edgeprobe::test
