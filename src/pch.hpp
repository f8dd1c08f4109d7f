// The precompiled header every target but the pure codecs (src/wire) reuses:
// only what nearly every file includes anyway through core/probe.hpp and
// core/result.hpp. Kept narrow on purpose: all of <boost/asio.hpp> here made
// every object load 240 MB and hid missing includes (the header check builds
// each header without it).
#pragma once
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/address.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>
