// Text files compiled into the binary (see embed_text.cmake).
#pragma once
#include <string_view>

namespace edgeprobe::embedded {
std::string_view demo_suite_json();   // suites/demo.json
}
