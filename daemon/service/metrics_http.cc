#include "service/metrics_http.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "util/log.h"

namespace ra {
namespace {

std::string Response(int code, const char* reason, const std::string& type,
                     const std::string& body, bool send_body = true) {
  return absl::StrCat("HTTP/1.1 ", code, " ", reason,
                      "\r\nContent-Type: ", type,
                      "\r\nContent-Length: ", body.size(),
                      "\r\nConnection: close\r\n\r\n", send_body ? body : "");
}

std::string Plain(int code, const char* reason, const std::string& text) {
  return Response(code, reason, "text/plain; charset=utf-8", text + "\n");
}

bool IsToken(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < 'A' || c > 'Z') return false;
  }
  return true;
}

// Splits "host:port" / "[v6]:port".
bool SplitHostPort(const std::string& listen, std::string* host,
                   std::string* port) {
  if (absl::StartsWith(listen, "[")) {
    const size_t close = listen.find("]:");
    if (close == std::string::npos) return false;
    *host = listen.substr(1, close - 1);
    *port = listen.substr(close + 2);
  } else {
    const size_t colon = listen.rfind(':');
    if (colon == std::string::npos || colon == 0) return false;
    *host = listen.substr(0, colon);
    *port = listen.substr(colon + 1);
  }
  int n = 0;
  return !host->empty() && absl::SimpleAtoi(*port, &n) && n >= 0 && n <= 65535;
}

bool IsLoopback(const sockaddr* addr) {
  if (addr->sa_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(addr);
    return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
  }
  if (addr->sa_family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(addr);
    return IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr);
  }
  return false;
}

void SendAll(int fd, const std::string& data) {
  size_t sent = 0;
  while (sent < data.size()) {
    const ssize_t n = send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // the client went away or stalled past SO_SNDTIMEO
    sent += static_cast<size_t>(n);
  }
}

}  // namespace

std::string RespondToHttpRequest(std::string_view head,
                                 const std::function<std::string()>& body) {
  const size_t eol = head.find("\r\n");
  const std::string_view line = head.substr(0, eol);
  std::vector<std::string_view> parts;
  for (size_t start = 0; start <= line.size();) {
    const size_t space = std::min(line.find(' ', start), line.size());
    parts.push_back(line.substr(start, space - start));
    start = space + 1;
  }
  auto starts_with = [](std::string_view s, std::string_view prefix) {
    return s.substr(0, prefix.size()) == prefix;
  };
  if (parts.size() != 3 || !IsToken(parts[0]) || parts[1].empty() ||
      parts[1][0] != '/' || !starts_with(parts[2], "HTTP/1.")) {
    return Plain(400, "Bad Request", "bad request line");
  }
  const std::string_view method = parts[0];
  std::string_view path = parts[1];
  path = path.substr(0, path.find('?'));  // ?name[]=... filters are ignored
  if (path != "/metrics") {
    return Plain(404, "Not Found", "not found: only /metrics is served here");
  }
  if (method != "GET" && method != "HEAD") {
    return Plain(405, "Method Not Allowed", "only GET and HEAD are allowed");
  }
  return Response(200, "OK", "text/plain; version=0.0.4; charset=utf-8", body(),
                  method == "GET");
}

absl::StatusOr<std::unique_ptr<MetricsHttpServer>> MetricsHttpServer::Start(
    const MetricsHttpOptions& options, std::function<std::string()> body) {
  std::string host, port;
  if (!SplitHostPort(options.listen, &host, &port)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--metrics_listen ", options.listen,
        ": not HOST:PORT (e.g. 127.0.0.1:9464 or [::1]:9464)"));
  }
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV | AI_PASSIVE;
  addrinfo* found = nullptr;
  const int gai = getaddrinfo(host.c_str(), port.c_str(), &hints, &found);
  if (gai != 0 || found == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--metrics_listen ", options.listen, ": ", gai_strerror(gai)));
  }
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> list(found, &freeaddrinfo);
  if (!options.insecure && !IsLoopback(found->ai_addr)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "refusing to serve metrics on ", options.listen,
        ": not a loopback address; pass --insecure to expose it"));
  }
  const int fd = socket(found->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return absl::InternalError(std::strerror(errno));
  const int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  if (bind(fd, found->ai_addr, found->ai_addrlen) != 0 || listen(fd, 16) != 0) {
    const std::string why = std::strerror(errno);
    close(fd);
    return absl::FailedPreconditionError(
        absl::StrCat("cannot serve metrics on ", options.listen, ": ", why));
  }
  sockaddr_storage bound{};
  socklen_t len = sizeof(bound);
  getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &len);
  const int bound_port =
      bound.ss_family == AF_INET6
          ? ntohs(reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port)
          : ntohs(reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  int wake[2];
  if (pipe2(wake, O_CLOEXEC) != 0) {
    close(fd);
    return absl::InternalError(std::strerror(errno));
  }
  return std::unique_ptr<MetricsHttpServer>(new MetricsHttpServer(
      fd, wake[0], wake[1], bound_port, options, std::move(body)));
}

MetricsHttpServer::MetricsHttpServer(int listen_fd, int wake_read, int wake_write,
                                     int port, MetricsHttpOptions options,
                                     std::function<std::string()> body)
    : listen_fd_(listen_fd),
      wake_read_(wake_read),
      wake_write_(wake_write),
      port_(port),
      options_(std::move(options)),
      body_(std::move(body)) {
  thread_ = std::thread([this] { Serve(); });
}

MetricsHttpServer::~MetricsHttpServer() {
  const char byte = 'x';
  while (write(wake_write_, &byte, 1) < 0 && errno == EINTR) {
  }
  thread_.join();
  close(listen_fd_);
  close(wake_read_);
  close(wake_write_);
}

void MetricsHttpServer::Serve() {
  while (true) {
    pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {wake_read_, POLLIN, 0}};
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      LogError("event=metrics_http_failed reason=\"", std::strerror(errno), "\"");
      return;
    }
    if (fds[1].revents != 0) return;
    if ((fds[0].revents & POLLIN) == 0) continue;
    const int client = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) continue;  // e.g. the client reset before accept
    HandleClient(client);
    close(client);
  }
}

void MetricsHttpServer::HandleClient(int fd) {
  const absl::Time deadline = absl::Now() + options_.read_timeout;
  timeval send_timeout{2, 0};
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &send_timeout, sizeof(send_timeout));
  std::string head;
  char buffer[2048];
  while (head.find("\r\n\r\n") == std::string::npos) {
    if (head.size() > options_.max_request_bytes) {
      SendAll(fd, Plain(431, "Request Header Fields Too Large",
                        absl::StrCat("request head over ",
                                     options_.max_request_bytes, " bytes")));
      return;
    }
    const int64_t left = absl::ToInt64Milliseconds(deadline - absl::Now());
    pollfd p{fd, POLLIN, 0};
    const int ready = left > 0 ? poll(&p, 1, static_cast<int>(left)) : 0;
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) {
      SendAll(fd, Plain(408, "Request Timeout", "request not received in time"));
      return;
    }
    const ssize_t n = recv(fd, buffer, sizeof(buffer), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // closed before a whole request head
    head.append(buffer, static_cast<size_t>(n));
  }
  SendAll(fd, RespondToHttpRequest(head, body_));
}

}  // namespace ra
