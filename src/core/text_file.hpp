// Reading a whole (small) text file with a reason when it cannot be read. Every
// file a user names to a loader (a suite, an include, a `${file:}` reference, the
// serve config) is read here, so that only regular files are read: a FIFO or a
// device would block the loader forever, or feed it without end.
#pragma once
#include <cstddef>
#include <filesystem>
#include <string>

namespace edgeprobe {

// False with `error` set ("No such file or directory", "it is a directory",
// "it is a FIFO, not a regular file", "it is larger than 1 MiB") when the file
// cannot be read whole.
bool read_text_file(const std::filesystem::path& path, std::string& out, std::string& error,
                    std::size_t limit = std::size_t{1} << 20);

} // namespace edgeprobe
