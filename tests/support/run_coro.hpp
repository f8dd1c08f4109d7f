// Test helper: runs one coroutine on a fresh io_context to completion.
#pragma once
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <exception>
#include <optional>

namespace edgeprobe::test {

template <class T, class Make> T run_coro(Make make) {
  boost::asio::io_context io;
  std::optional<T> out;
  std::exception_ptr failure;
  boost::asio::co_spawn(io, make(io.get_executor()), [&](std::exception_ptr e, T value) {
    failure = e;
    if (!e) out = std::move(value);
  });
  io.run();
  if (failure) std::rethrow_exception(failure);
  return std::move(*out);
}

} // namespace edgeprobe::test
