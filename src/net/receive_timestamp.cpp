#include "net/receive_timestamp.hpp"

#include <sys/uio.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>

namespace edgeprobe {

void enable_receive_timestamps(int fd) {
  const int on = 1;
  (void)::setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on);
}

stamped_receive receive_stamped(int fd, void* buffer, std::size_t size, int flags, sockaddr* from,
                                socklen_t* from_length) {
  iovec part{buffer, size};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(timespec))];
  msghdr message{};
  message.msg_name = from;
  message.msg_namelen = from_length ? *from_length : 0;
  message.msg_iov = &part;
  message.msg_iovlen = 1;
  message.msg_control = control;
  message.msg_controllen = sizeof control;

  stamped_receive out;
  out.size = ::recvmsg(fd, &message, flags | MSG_DONTWAIT);
  // Both clocks read together: the stamp is CLOCK_REALTIME, deadlines are steady.
  const auto steady_now = clock::now();
  out.arrived = steady_now;
  if (out.size < 0) {
    out.error = errno;
    return out;
  }
  if (from_length) *from_length = message.msg_namelen;
  for (auto* c = CMSG_FIRSTHDR(&message); c; c = CMSG_NXTHDR(&message, c)) {
    if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_TIMESTAMPNS) continue;
    timespec stamp{};
    std::memcpy(&stamp, CMSG_DATA(c), sizeof stamp); // CMSG_DATA need not be aligned for timespec
    timespec wall{};
    ::clock_gettime(CLOCK_REALTIME, &wall);
    const auto age = std::chrono::seconds(wall.tv_sec - stamp.tv_sec) +
                     std::chrono::nanoseconds(wall.tv_nsec - stamp.tv_nsec);
    // A stamp from the future (the wall clock stepped back) is no evidence.
    if (age.count() >= 0) {
      out.arrived = steady_now - std::chrono::duration_cast<clock::duration>(age);
      out.stamped = true;
    }
  }
  return out;
}

} // namespace edgeprobe
