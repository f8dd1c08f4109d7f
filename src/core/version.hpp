// The program's version, set by CMake from project(VERSION).
#pragma once
#include <string_view>

namespace edgeprobe {
inline constexpr std::string_view version = EDGEPROBE_VERSION;
}
