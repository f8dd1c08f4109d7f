// Kernel receive timestamps (SO_TIMESTAMPNS): when a datagram reached this host,
// as opposed to when edgeprobe got round to reading it. A busy event loop reads
// late; an RTT from the stamp is the network's, the rest is edgeprobe's queue.
#pragma once
#include "core/clock.hpp"

#include <sys/socket.h>
#include <sys/types.h>

#include <cstddef>
#include <optional>

namespace edgeprobe {

// Asks the kernel to stamp every datagram `fd` receives. Best effort: without
// stamps, arrivals are read times.
void enable_receive_timestamps(int fd);

struct stamped_receive {
  ssize_t size = -1;  // recvmsg's result: bytes, or -1 with `error` set
  int error = 0;      // errno when size < 0
  clock::time_point arrived; // the kernel's stamp on our clock, or the time of the read
  bool stamped = false;      // arrived came from the kernel
};

// One non-blocking recvmsg() of a datagram with its stamp. `from` may be null.
stamped_receive receive_stamped(int fd, void* buffer, std::size_t size, int flags, sockaddr* from,
                                socklen_t* from_length);

} // namespace edgeprobe
