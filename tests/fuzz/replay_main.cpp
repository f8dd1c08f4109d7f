// Runs a fuzz target over files, without libFuzzer: the default build replays
// each target's seed corpus (real captured bytes) as a ctest test, so the targets
// keep compiling and the seeds keep passing. Arguments: files or directories.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

void run_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  const std::vector<char> bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
}

} // namespace

int main(int argc, char** argv) {
  std::size_t runs = 0;
  for (int i = 1; i < argc; ++i) {
    const std::filesystem::path arg = argv[i];
    if (std::filesystem::is_directory(arg)) {
      for (const auto& e : std::filesystem::directory_iterator(arg))
        if (e.is_regular_file()) run_file(e.path()), ++runs;
    } else {
      run_file(arg), ++runs;
    }
  }
  std::cout << runs << " inputs replayed\n";
  return runs == 0; // an empty corpus is a mistake, not a pass
}
