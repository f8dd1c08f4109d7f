// libFuzzer entry for the suite loader: any text must load or be refused with
// diagnostics, never crash, hang or throw. Includes and ${file:} resolve against
// a directory that does not exist, so the fuzzer cannot reach the file system.
#include "core/suite_loader.hpp"
#include "probes/modules.hpp"

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace edgeprobe;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto loaded = load_suite_text(text, "fuzz.json", "/nonexistent/edgeprobe-fuzz", {.probes = builtin_probes()});
  if (!loaded.suite && loaded.errors.empty()) std::abort(); // refused without saying why
  for (const auto& d : loaded.errors) (void)d.to_string();
  return 0;
}
