#include "core/text_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace edgeprobe {

namespace {

// What a path that is not a regular file is, as `ls -l` would tell.
std::string not_regular(mode_t mode) {
  if (S_ISDIR(mode)) return "it is a directory";
  if (S_ISFIFO(mode)) return "it is a FIFO, not a regular file";
  if (S_ISSOCK(mode)) return "it is a socket, not a regular file";
  if (S_ISCHR(mode)) return "it is a character device, not a regular file";
  if (S_ISBLK(mode)) return "it is a block device, not a regular file";
  return "it is not a regular file";
}

struct descriptor {
  int fd;
  ~descriptor() {
    if (fd >= 0) ::close(fd);
  }
};

} // namespace

bool read_text_file(const std::filesystem::path& path, std::string& out, std::string& error, std::size_t limit) {
  out.clear();
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
  // What it opened is checked before anything is read from it.
  const descriptor file{::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)};
  if (file.fd < 0) {
    error = errno == EISDIR ? "it is a directory" : std::strerror(errno);
    return false;
  }
  struct stat about {};
  if (::fstat(file.fd, &about) != 0) {
    error = std::strerror(errno);
    return false;
  }
  if (!S_ISREG(about.st_mode)) {
    error = not_regular(about.st_mode);
    return false;
  }
  const std::string too_large = "it is larger than " + std::to_string(limit >> 20) + " MiB";
  if (static_cast<std::size_t>(about.st_size) > limit) {
    error = too_large;
    return false;
  }
  out.reserve(static_cast<std::size_t>(about.st_size));
  char buffer[65536];
  for (;;) {
    const auto n = ::read(file.fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      error = std::strerror(errno);
      return false;
    }
    if (n == 0) return true;
    out.append(buffer, static_cast<std::size_t>(n));
    if (out.size() > limit) { // a file that grew while it was read, or /proc's, whose size says 0
      error = too_large;
      return false;
    }
  }
}

} // namespace edgeprobe
