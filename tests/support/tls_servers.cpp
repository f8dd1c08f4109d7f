#include "support/tls_servers.hpp"

#include "support/unbound_server.hpp" // free_loopback_port

#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <thread>

namespace edgeprobe::test {

namespace {

bool accepts(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(port);
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  ::close(fd);
  return ok;
}

} // namespace

void wait_for_listener(std::uint16_t port) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!accepts(port)) {
    REQUIRE_MESSAGE(std::chrono::steady_clock::now() < deadline, "nothing listens on 127.0.0.1:" << port);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

openssl_server::openssl_server(const tls_server_options& o) : port_(free_loopback_port()) {
  std::vector<std::string> argv{"openssl", "s_server", "-accept", "127.0.0.1:" + std::to_string(port_),
                                "-www", "-cert", o.leaf.cert.string(), "-key", o.leaf.key.string()};
  if (o.send_chain && std::filesystem::file_size(o.leaf.intermediate) > 0)
    argv.insert(argv.end(), {"-cert_chain", o.leaf.intermediate.string()});
  if (!o.client_ca_names.empty()) {
    // s_server sends the names of -CAfile's certificates as its acceptable client CAs.
    argv.insert(argv.end(), {"-verify", "1", "-CAfile", o.client_ca_names.string()});
  }
  argv.insert(argv.end(), o.extra_args.begin(), o.extra_args.end());
  process_ = std::make_unique<background_process>(argv);
  process_->read_until("ACCEPT");
}

nginx_server::nginx_server(const tls_server_options& o) : port_(free_loopback_port()) {
  const auto d = dir_.path().string();
  std::string listen = "listen 127.0.0.1:" + std::to_string(port_);
  std::string tls;
  if (!o.leaf.cert.empty()) {
    listen += " ssl";
    tls = "ssl_certificate " + (o.send_chain ? o.leaf.chain : o.leaf.cert).string() + ";\n" +
          "ssl_certificate_key " + o.leaf.key.string() + ";\n" +
          "ssl_protocols TLSv1.2 TLSv1.3;\n";
    if (!o.client_ca_names.empty())
      tls += "ssl_client_certificate " + o.client_ca_names.string() + ";\nssl_verify_client optional_no_ca;\n";
  }
  const auto conf = dir_.write(
      "nginx.conf",
      "daemon off;\nmaster_process off;\nworker_processes 1;\npid " + d + "/nginx.pid;\n" +
          "error_log " + d + "/error.log;\n" + "events { worker_connections 64; }\n" +
          "http {\n access_log off;\n client_body_temp_path " + d + "/body;\n proxy_temp_path " + d +
          "/proxy;\n fastcgi_temp_path " + d + "/fastcgi;\n uwsgi_temp_path " + d + "/uwsgi;\n scgi_temp_path " +
          d + "/scgi;\n server {\n  " + listen + ";\n  " + tls + o.nginx_server_block + "\n  location / { return 200 \"ok\\n\"; }\n }\n}\n");
  process_ = std::make_unique<background_process>(
      std::vector<std::string>{"nginx", "-p", d, "-e", d + "/error.log", "-c", conf.string()});
  wait_for_listener(port_);
}

} // namespace edgeprobe::test
