#include "net/cares_channel.hpp"

#include "core/deadline.hpp"
#include "net/endpoint_text.hpp"
#include "net/receive_timestamp.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <ares.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <unordered_map>

namespace edgeprobe {

namespace {

// Per try; c-ares doubles it on each round over the servers. The check's deadline
// (through until()) is what really bounds a lookup.
constexpr int try_timeout_ms = 1000;
constexpr int tries = 3;

struct server_address {
  net::ip::address address;
  std::uint16_t port = 53;
};

std::optional<std::uint16_t> parse_port(std::string_view text) {
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value < 1 || value > 65535) return std::nullopt;
  return static_cast<std::uint16_t>(value);
}

// "10.0.0.53", "10.0.0.53:5353", "[fd00::53]:53", "fd00::53".
server_address parse_server(const std::string& text) {
  boost::system::error_code ec;
  server_address out;
  std::string host = text;
  std::optional<std::uint16_t> port = 53;
  if (text.starts_with("[")) {
    const auto close = text.find(']');
    if (close == std::string::npos) throw std::invalid_argument("\"" + text + "\" lacks the closing ']'");
    host = text.substr(1, close - 1);
    if (close + 1 < text.size()) port = text[close + 1] == ':' ? parse_port(text.substr(close + 2)) : std::nullopt;
  } else if (text.find(':') == text.rfind(':') && text.find(':') != std::string::npos) {
    host = text.substr(0, text.find(':'));
    port = parse_port(text.substr(text.find(':') + 1));
  }
  out.address = net::ip::make_address(host, ec);
  if (ec || !port)
    throw std::invalid_argument("\"" + text + "\" is not \"system\" or a DNS server's IP address with an optional port");
  out.port = *port;
  return out;
}

std::string peer_of(int fd) {
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  if (::getpeername(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0) return {};
  if (ss.ss_family == AF_INET) {
    const auto& in = reinterpret_cast<const sockaddr_in&>(ss);
    return endpoint_text(net::ip::address_v4(ntohl(in.sin_addr.s_addr)), ntohs(in.sin_port));
  }
  if (ss.ss_family == AF_INET6) {
    const auto& in6 = reinterpret_cast<const sockaddr_in6&>(ss);
    net::ip::address_v6::bytes_type bytes;
    std::copy(std::begin(in6.sin6_addr.s6_addr), std::end(in6.sin6_addr.s6_addr), bytes.begin());
    return endpoint_text(net::ip::address_v6(bytes), ntohs(in6.sin6_port));
  }
  return {};
}

// Large enough for a burst of answers while this thread is busy: each small
// datagram costs ~1 KiB of buffer (its skb). Without CAP_NET_ADMIN the kernel
// caps it at net.core.rmem_max.
constexpr int receive_buffer_bytes = 4 << 20;

std::uint16_t message_id(const void* bytes, std::size_t size) {
  if (size < 2) return 0;
  const auto* b = static_cast<const std::uint8_t*>(bytes);
  return static_cast<std::uint16_t>(b[0] << 8 | b[1]);
}

} // namespace

struct cares_request {
  explicit cares_request(net::any_io_executor ex) : signal(std::move(ex), net::steady_timer::time_point::max()) {}
  net::steady_timer signal; // cancelled when the reply is in: a cancellable one-shot event, for every waiter
  bool done = false;
  cares_reply reply;
};

struct cares_channel::core : std::enable_shared_from_this<core> {
  // A c-ares socket. Released, never closed, by Asio: c-ares owns the descriptor.
  struct watch {
    watch(net::any_io_executor ex, int fd) : descriptor(std::move(ex), fd), fd(fd) {}
    net::posix::stream_descriptor descriptor;
    int fd;
    bool want_read = false, want_write = false, reading = false, writing = false, closed = false;
  };

  net::any_io_executor executor;
  ares_channel channel = nullptr;
  net::steady_timer timer;
  std::map<int, std::shared_ptr<watch>> watches;
  int processing_fd = ARES_SOCKET_BAD; // the socket whose data c-ares is handling right now
  std::string description;
  std::size_t in_flight = 0;
  // Our own socket functions see every datagram: when each query id last left
  // (UDP), and when the datagram c-ares is reading now arrived.
  std::set<int> datagram_sockets;
  std::unordered_map<std::uint16_t, clock::time_point> sent_by_id;
  clock::time_point last_arrival;

  explicit core(net::any_io_executor ex) : executor(ex), timer(ex) {}
  ~core() {
    // Completes every outstanding request with ARES_EDESTRUCTION and closes the sockets.
    if (channel) ares_destroy(channel);
    for (auto& [fd, w] : watches) {
      w->closed = true;
      w->descriptor.release();
    }
  }

  static void on_socket_state(void* data, ares_socket_t fd, int readable, int writable) {
    static_cast<core*>(data)->socket_state(fd, readable != 0, writable != 0);
  }

  void socket_state(int fd, bool readable, bool writable) {
    if (!readable && !writable) {
      if (auto it = watches.find(fd); it != watches.end()) {
        it->second->closed = true;
        it->second->descriptor.release(); // cancels its waits; their handlers see `closed`
        watches.erase(it);
      }
      return;
    }
    auto& w = watches[fd];
    if (!w) w = std::make_shared<watch>(executor, fd);
    w->want_read = readable;
    w->want_write = writable;
    arm(w);
  }

  void arm(const std::shared_ptr<watch>& w) {
    if (w->closed) return;
    if (w->want_read && !w->reading) {
      w->reading = true;
      w->descriptor.async_wait(net::posix::descriptor_base::wait_read,
                               [weak = weak_from_this(), w](boost::system::error_code ec) {
                                 w->reading = false;
                                 auto self = weak.lock();
                                 if (ec || w->closed || !self) return;
                                 self->process(w->fd, ARES_SOCKET_BAD);
                                 self->arm(w);
                               });
    }
    if (w->want_write && !w->writing) {
      w->writing = true;
      w->descriptor.async_wait(net::posix::descriptor_base::wait_write,
                               [weak = weak_from_this(), w](boost::system::error_code ec) {
                                 w->writing = false;
                                 auto self = weak.lock();
                                 if (ec || w->closed || !self) return;
                                 self->process(ARES_SOCKET_BAD, w->fd);
                                 self->arm(w);
                               });
    }
  }

  void process(int read_fd, int write_fd) {
    processing_fd = read_fd;
    ares_process_fd(channel, read_fd, write_fd);
    processing_fd = ARES_SOCKET_BAD;
    arm_timer();
  }

  // c-ares's own retransmissions and per-try timeouts, on an Asio timer.
  void arm_timer() {
    timeval storage{};
    const timeval* next = ares_timeout(channel, nullptr, &storage);
    if (!next) {
      timer.cancel();
      return;
    }
    timer.expires_after(std::chrono::seconds(next->tv_sec) + std::chrono::microseconds(next->tv_usec));
    timer.async_wait([weak = weak_from_this()](boost::system::error_code ec) {
      auto self = weak.lock();
      if (ec || !self) return;
      self->process(ARES_SOCKET_BAD, ARES_SOCKET_BAD);
    });
  }

  static void on_reply(void* arg, int status, int, unsigned char* bytes, int length) {
    auto* holder = static_cast<std::pair<core*, std::shared_ptr<cares_request>>*>(arg);
    auto [self, req] = std::move(*holder);
    delete holder;
    --self->in_flight;
    req->done = true;
    req->reply.status = status;
    if (bytes && length > 0) {
      req->reply.bytes.assign(bytes, bytes + length);
      if (auto it = self->sent_by_id.find(message_id(bytes, static_cast<std::size_t>(length)));
          it != self->sent_by_id.end()) {
        req->reply.sent = it->second;
        self->sent_by_id.erase(it);
      }
    }
    if (self->processing_fd != ARES_SOCKET_BAD) {
      req->reply.server = peer_of(self->processing_fd);
      if (!req->reply.bytes.empty()) req->reply.arrived = self->last_arrival;
    }
    req->signal.cancel();
  }

  // The argument c-ares hands back to on_reply; owned by c-ares until then.
  std::pair<std::shared_ptr<cares_request>, void*> start() {
    ++in_flight;
    auto req = std::make_shared<cares_request>(executor);
    return {req, new std::pair<core*, std::shared_ptr<cares_request>>(this, req)};
  }

  // --- the socket functions (ares_set_socket_functions) ---------------------
  static ares_socket_t open_socket(int domain, int type, int protocol, void* data) {
    const int fd = ::socket(domain, type | SOCK_CLOEXEC, protocol);
    if (fd < 0 || type != SOCK_DGRAM) return fd;
    // FORCE needs CAP_NET_ADMIN; without it, the kernel caps the plain option.
    if (::setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &receive_buffer_bytes, sizeof receive_buffer_bytes) != 0)
      (void)::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &receive_buffer_bytes, sizeof receive_buffer_bytes);
    enable_receive_timestamps(fd);
    static_cast<core*>(data)->datagram_sockets.insert(fd);
    return fd;
  }

  static int close_socket(ares_socket_t fd, void* data) {
    static_cast<core*>(data)->datagram_sockets.erase(fd);
    return ::close(fd);
  }

  static int connect_socket(ares_socket_t fd, const sockaddr* address, ares_socklen_t length, void*) {
    return ::connect(fd, address, length);
  }

  static ares_ssize_t receive(ares_socket_t fd, void* buffer, size_t size, int flags, sockaddr* from,
                              ares_socklen_t* from_length, void* data) {
    auto* self = static_cast<core*>(data);
    const auto got = receive_stamped(fd, buffer, size, flags, from, from_length);
    if (got.size < 0) {
      errno = got.error;
      return -1;
    }
    self->last_arrival = got.arrived;
    return got.size;
  }

  static ares_ssize_t send_vector(ares_socket_t fd, const iovec* parts, int count, void* data) {
    auto* self = static_cast<core*>(data);
    // A UDP query leaves whole in its first part; over TCP the length prefix
    // comes first and writes may be partial, so only datagrams are timed.
    if (count > 0 && self->datagram_sockets.count(fd))
      self->sent_by_id[message_id(parts[0].iov_base, parts[0].iov_len)] = clock::now();
    return ::writev(fd, parts, count);
  }

  static const ares_socket_functions* socket_functions() {
    static const ares_socket_functions functions{&open_socket, &close_socket, &connect_socket, &receive, &send_vector};
    return &functions;
  }
};

cares_channel::cares_channel(net::any_io_executor executor, const resolver_spec& spec)
    : core_(std::make_shared<core>(executor)) {
  static std::once_flag library;
  std::call_once(library, [] { ares_library_init(ARES_LIB_INIT_ALL); });

  std::optional<server_address> server;
  if (spec.server != "system") server = parse_server(spec.server);

  ares_options options{};
  int mask = ARES_OPT_FLAGS | ARES_OPT_SOCK_STATE_CB | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES;
  // NOCHECKRESP: a SERVFAIL or REFUSED answer is evidence to report, not a reason
  // to try the next server and hide it.
  options.flags = ARES_FLAG_NOCHECKRESP;
  if (spec.tcp) options.flags |= ARES_FLAG_USEVC;
  if (!spec.recursion) options.flags |= ARES_FLAG_NORECURSE;
  options.sock_state_cb = &core::on_socket_state;
  options.sock_state_cb_data = core_.get();
  options.timeout = try_timeout_ms;
  options.tries = tries;
  if (server) mask |= ARES_OPT_DOMAINS; // a named server gets the name as written: no search list
  if (const int rc = ares_init_options(&core_->channel, &options, mask); rc != ARES_SUCCESS)
    throw std::runtime_error(std::string("c-ares initialisation failed: ") + ares_strerror(rc));
  ares_set_socket_functions(core_->channel, core::socket_functions(), core_.get());

  if (server) {
    ares_addr_port_node node{};
    node.family = server->address.is_v4() ? AF_INET : AF_INET6;
    if (server->address.is_v4()) {
      node.addr.addr4.s_addr = htonl(server->address.to_v4().to_uint());
    } else {
      const auto bytes = server->address.to_v6().to_bytes();
      std::copy(bytes.begin(), bytes.end(), node.addr.addr6._S6_un._S6_u8);
    }
    node.udp_port = node.tcp_port = server->port;
    if (const int rc = ares_set_servers_ports(core_->channel, &node); rc != ARES_SUCCESS)
      throw std::invalid_argument(std::string("c-ares rejected the server: ") + ares_strerror(rc));
    core_->description = endpoint_text(server->address, server->port);
  } else {
    std::string listed;
    ares_addr_port_node* servers = nullptr;
    if (ares_get_servers_ports(core_->channel, &servers) == ARES_SUCCESS) {
      for (auto* s = servers; s; s = s->next) {
        net::ip::address a;
        if (s->family == AF_INET) {
          a = net::ip::address_v4(ntohl(s->addr.addr4.s_addr));
        } else {
          net::ip::address_v6::bytes_type bytes;
          std::copy(std::begin(s->addr.addr6._S6_un._S6_u8), std::end(s->addr.addr6._S6_un._S6_u8), bytes.begin());
          a = net::ip::address_v6(bytes);
        }
        listed += (listed.empty() ? "" : ", ") + endpoint_text(a, static_cast<std::uint16_t>(s->udp_port ? s->udp_port : 53));
      }
      ares_free_data(servers);
    }
    core_->description = "system (resolv.conf: " + (listed.empty() ? std::string("no servers") : listed) + ")";
  }
  if (spec.tcp) core_->description += " over tcp";
}

cares_channel::~cares_channel() = default;

const std::string& cares_channel::description() const { return core_->description; }

bool completed(const cares_request& request) { return request.done; }

std::size_t cares_channel::in_flight() const { return core_->in_flight; }

std::shared_ptr<cares_request> cares_channel::send(const std::vector<std::uint8_t>& query) {
  auto [req, arg] = core_->start();
  ares_send(core_->channel, query.data(), static_cast<int>(query.size()), &core::on_reply, arg);
  core_->arm_timer();
  return req;
}

std::shared_ptr<cares_request> cares_channel::search(const std::string& name, int qtype) {
  auto [req, arg] = core_->start();
  ares_search(core_->channel, name.c_str(), 1 /* IN */, qtype, &core::on_reply, arg);
  core_->arm_timer();
  return req;
}

net::awaitable<std::optional<cares_reply>> cares_channel::wait(std::shared_ptr<cares_request> req,
                                                               clock::time_point deadline) {
  if (!req->done) co_await until(deadline, req->signal.async_wait(net::deferred));
  // Not done: the deadline won. c-ares still owns the request and completes it
  // later (or at destruction) for whoever still waits.
  if (!req->done) co_return std::nullopt;
  co_return req->reply; // a copy: every waiter gets the whole reply
}

} // namespace edgeprobe
