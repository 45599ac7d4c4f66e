// Runs the daemon: starts the gRPC server (AuditService, grpc.health.v1,
// reflection) NOT_SERVING, loads the rule pack, opens and migrates the
// store, rebuilds the cross-document index, then serves (SERVING) until
// SIGTERM or SIGINT; reloads the rule pack on SIGHUP. Until SERVING every
// AuditService rpc answers UNAVAILABLE naming what the daemon is doing.
#ifndef RA_SERVICE_SERVER_H_
#define RA_SERVICE_SERVER_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "ingest/ingest.h"
#include "service/limits.h"

namespace ra {

struct ServerOptions {
  // gRPC address: "unix:/path.sock", "127.0.0.1:50051", "[::1]:50051".
  std::string listen;
  // SQLite database file (created when missing).
  std::string db_path;
  // Rule pack folder.
  std::string rules_dir;
  // Allow a non-loopback TCP address without TLS.
  bool insecure = false;
  // Largest gRPC message accepted, both directions (at least 4 MiB).
  int max_message_bytes = 128 << 20;
  // How long in-flight calls may take to finish after SIGTERM.
  absl::Duration shutdown_grace = absl::Seconds(30);
  // Documents of one AuditDocuments stream processed at the same time.
  int stream_workers = 2;
  IngestOptions ingest;
  RequestLimits limits;
  // TLS: server certificate and key (PEM); with client_ca, mutual TLS.
  std::string tls_cert, tls_key, tls_client_ca;
  // --auth_tokens file; empty lets every caller in as admin, which is
  // allowed only on a unix socket or loopback address.
  std::string auth_tokens_file;
  // Prometheus metrics over HTTP (GET /metrics) at this HOST:PORT; empty:
  // off. Loopback only unless `insecure`.
  std::string metrics_listen;
};

// Blocks until a termination signal. SIGTERM, SIGINT and SIGHUP must be
// blocked in every thread before calling (BlockServerSignals()), so that
// this function can sigwait() for them.
absl::Status RunServer(const ServerOptions& options);

// Blocks SIGTERM, SIGINT and SIGHUP in the calling thread (and the threads
// it creates afterwards).
void BlockServerSignals();

// FAILED_PRECONDITION when `listen` is already served by a live process or
// is not an address this daemon may use without TLS; removes a stale unix
// socket file left by a daemon that died.
absl::Status PrepareListenAddress(const std::string& listen, bool insecure);

}  // namespace ra

#endif  // RA_SERVICE_SERVER_H_
