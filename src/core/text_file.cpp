#include "core/text_file.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

namespace edgeprobe {

bool read_text_file(const std::filesystem::path& path, std::string& out, std::string& error, std::size_t limit) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    error = "it is a directory";
    return false;
  }
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!file) {
    error = std::strerror(errno);
    return false;
  }
  char buffer[4096];
  out.clear();
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, file.get())) > 0;) {
    out.append(buffer, n);
    if (out.size() > limit) {
      error = "it is larger than " + std::to_string(limit >> 20) + " MiB";
      return false;
    }
  }
  if (std::ferror(file.get())) {
    error = std::strerror(errno);
    return false;
  }
  return true;
}

} // namespace edgeprobe
