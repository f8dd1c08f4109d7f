// A seed file of a fuzz target's corpus (tests/fuzz/corpus/TARGET/NAME): bytes
// captured from real peers, reused by the tests that replay or parse them.
#pragma once
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace edgeprobe::test {

inline std::filesystem::path corpus_file(const std::string& target, const std::string& name) {
  return std::filesystem::path(EDGEPROBE_SOURCE_DIR) / "tests/fuzz/corpus" / target / name;
}

inline std::string corpus_bytes(const std::string& target, const std::string& name) {
  std::ifstream in(corpus_file(target, name), std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

} // namespace edgeprobe::test
