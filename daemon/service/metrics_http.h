// The metrics HTTP edge: a small HTTP/1.1 responder for Prometheus scrapes
// (GET /metrics) on plain POSIX sockets, one thread, one connection at a
// time. Requests are bounded in size and time; any other path is 404, any
// other method 405, garbage 400; every response closes the connection.
// No gRPC here.
#ifndef RA_SERVICE_METRICS_HTTP_H_
#define RA_SERVICE_METRICS_HTTP_H_

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace ra {

struct MetricsHttpOptions {
  // "127.0.0.1:9464", "[::1]:9464", "localhost:9464"; port 0 picks one.
  std::string listen;
  // Allow a non-loopback address (same rule as the gRPC listener).
  bool insecure = false;
  // Largest request head (request line and headers) read.
  size_t max_request_bytes = 8192;
  // How long one client may take to send its request head.
  absl::Duration read_timeout = absl::Seconds(2);
};

// The whole HTTP response (status line, headers, body) for one request
// head; `body` renders the metrics text. Exposed for tests.
std::string RespondToHttpRequest(std::string_view head,
                                 const std::function<std::string()>& body);

class MetricsHttpServer {
 public:
  // Binds and starts serving. INVALID_ARGUMENT for an address that does
  // not parse, FAILED_PRECONDITION for a non-loopback one without
  // `insecure` or one already in use.
  static absl::StatusOr<std::unique_ptr<MetricsHttpServer>> Start(
      const MetricsHttpOptions& options, std::function<std::string()> body);
  // Stops the thread and closes the socket.
  ~MetricsHttpServer();
  MetricsHttpServer(const MetricsHttpServer&) = delete;
  MetricsHttpServer& operator=(const MetricsHttpServer&) = delete;

  // The bound port (the one chosen when the address gave port 0).
  int port() const { return port_; }

 private:
  MetricsHttpServer(int listen_fd, int wake_read, int wake_write, int port,
                    MetricsHttpOptions options, std::function<std::string()> body);
  void Serve();
  void HandleClient(int fd);

  const int listen_fd_, wake_read_, wake_write_, port_;
  const MetricsHttpOptions options_;
  const std::function<std::string()> body_;
  std::thread thread_;
};

}  // namespace ra

#endif  // RA_SERVICE_METRICS_HTTP_H_
