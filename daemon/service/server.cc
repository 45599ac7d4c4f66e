#include "service/server.h"

#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <algorithm>
#include <atomic>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/support/server_interceptor.h"
#include "metrics/metrics.h"
#include "pack/pack.h"
#include "pipeline/pipeline.h"
#include "service/audit_service.h"
#include "service/metrics_http.h"
#include "service/security.h"
#include "store/store.h"
#include "util/log.h"

namespace ra {
namespace {

constexpr char kServiceName[] = "redaction_audit.v1.AuditService";

bool IsLoopbackHost(const std::string& hostport) {
  return absl::StartsWith(hostport, "127.") ||
         absl::StartsWith(hostport, "localhost:") ||
         absl::StartsWith(hostport, "[::1]:") ||
         absl::StartsWith(hostport, "ipv4:127.") ||
         absl::StartsWith(hostport, "ipv6:[::1]:");
}

}  // namespace

void BlockServerSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

absl::Status PrepareListenAddress(const std::string& listen, bool insecure) {
  if (absl::StartsWith(listen, "unix:")) {
    std::string path = listen.substr(5);
    if (absl::StartsWith(path, "//")) path = path.substr(2);
    if (path.empty()) {
      return absl::InvalidArgumentError("--listen unix: needs a socket path");
    }
    struct stat st;
    if (lstat(path.c_str(), &st) != 0) return absl::OkStatus();
    if (!S_ISSOCK(st.st_mode)) {
      return absl::FailedPreconditionError(absl::StrCat(
          "cannot listen on ", listen, ": ", path, " exists and is not a socket"));
    }
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (path.size() >= sizeof(addr.sun_path)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "socket path ", path, " is longer than ", sizeof(addr.sun_path) - 1,
          " bytes"));
    }
    std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
    const int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd < 0) return absl::InternalError(std::strerror(errno));
    const int rc = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
    const int err = errno;
    close(fd);
    if (rc == 0) {
      return absl::FailedPreconditionError(absl::StrCat(
          "cannot listen on ", listen,
          ": address already in use (another daemon answers on it)"));
    }
    if (err == ECONNREFUSED) {
      LogWarning("removing stale socket ", path, " left by a daemon that exited");
      unlink(path.c_str());
    }
    return absl::OkStatus();
  }
  if (!insecure && !IsLoopbackHost(listen)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "refusing to listen on ", listen,
        " without TLS: use a unix socket or a loopback address, or pass "
        "--insecure"));
  }
  return absl::OkStatus();
}

namespace {

// Times every call (arrival to status) and counts it by method and status
// code. Counted before the status goes out, so a client that has its answer
// sees its call in /metrics; a call that ends without a status (cancelled)
// is counted when the interceptor, which lives as long as the call, goes.
class MetricsInterceptor final : public grpc::experimental::Interceptor {
 public:
  MetricsInterceptor(metrics::DaemonMetrics* metrics, std::string method)
      : metrics_(metrics), method_(std::move(method)), start_(absl::Now()) {}
  ~MetricsInterceptor() override {
    if (!counted_) Count("CANCELLED");
  }
  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (!counted_ && methods->QueryInterceptionHookPoint(
                         grpc::experimental::InterceptionHookPoints::PRE_SEND_STATUS)) {
      // gRPC's codes are absl's, number for number; the same names as the
      // rejection log lines.
      std::string code = absl::StatusCodeToString(
          static_cast<absl::StatusCode>(methods->GetSendStatus().error_code()));
      Count(code.empty() ? "UNKNOWN" : code);
    }
    methods->Proceed();
  }

 private:
  void Count(const std::string& code) {
    counted_ = true;
    metrics_->rpc_latency.With({method_}).Observe(absl::Now() - start_);
    metrics_->rpcs.With({method_, code}).Add();
    if (code != "OK") metrics_->errors.With({"rpc_failed", code}).Add();
  }

  metrics::DaemonMetrics* metrics_;
  const std::string method_;
  const absl::Time start_;
  bool counted_ = false;
};

class MetricsInterceptorFactory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit MetricsInterceptorFactory(metrics::DaemonMetrics* metrics)
      : metrics_(metrics) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    // "/redaction_audit.v1.AuditService/AuditDocument" -> "AuditDocument";
    // other services keep "service/method".
    std::string method = info->method() == nullptr ? "" : info->method();
    const std::string prefix = absl::StrCat("/", kServiceName, "/");
    if (absl::StartsWith(method, prefix)) {
      method = method.substr(prefix.size());
    } else if (absl::StartsWith(method, "/")) {
      method = method.substr(1);
    }
    return new MetricsInterceptor(metrics_, std::move(method));
  }

 private:
  metrics::DaemonMetrics* metrics_;
};

std::string UnixSocketPath(const std::string& listen) {
  std::string path = listen.substr(5);
  if (absl::StartsWith(path, "//")) path = path.substr(2);
  return path;
}

}  // namespace

absl::Status RunServer(const ServerOptions& options) {
  const bool tls = !options.tls_cert.empty();
  absl::Status prepared =
      PrepareListenAddress(options.listen, options.insecure || tls);
  if (!prepared.ok()) return prepared;
  if (options.auth_tokens_file.empty() &&
      !absl::StartsWith(options.listen, "unix:") && !IsLoopbackHost(options.listen)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "refusing to listen on ", options.listen,
        " without --auth_tokens: anyone who reaches it could audit, review "
        "and administer; use a unix socket or a loopback address, or give "
        "--auth_tokens FILE"));
  }
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials =
      MakeServerCredentials(
          TlsFiles{options.tls_cert, options.tls_key, options.tls_client_ca});
  if (!credentials.ok()) return credentials.status();
  std::optional<AuthTable> table;
  if (!options.auth_tokens_file.empty()) {
    absl::StatusOr<AuthTable> loaded = AuthTable::Load(options.auth_tokens_file);
    if (!loaded.ok()) return loaded.status();
    LogInfo("event=auth_tokens_loaded file=", options.auth_tokens_file,
            " entries=", loaded->size());
    table = std::move(*loaded);
  }
  Guard guard(std::move(table));

  metrics::DaemonMetrics metrics;
  std::unique_ptr<MetricsHttpServer> metrics_http;
  if (!options.metrics_listen.empty()) {
    MetricsHttpOptions http;
    http.listen = options.metrics_listen;
    http.insecure = options.insecure;
    absl::StatusOr<std::unique_ptr<MetricsHttpServer>> started =
        MetricsHttpServer::Start(http, [&metrics] { return metrics.Render(); });
    if (!started.ok()) return started.status();
    metrics_http = std::move(*started);
    LogInfo("event=metrics_listening address=", options.metrics_listen,
            " port=", metrics_http->port(), " path=/metrics");
  }

  // The port opens first, with the health service NOT_SERVING and every
  // AuditService rpc answering UNAVAILABLE, while the rule pack loads, the
  // schema migrates and the cross-document index is rebuilt.
  SuppressionSet suppressions;
  AuditServiceOptions service_options;
  service_options.stream_workers = options.stream_workers;
  service_options.guard = &guard;
  service_options.limits = options.limits;
  service_options.metrics = &metrics;
  service_options.suppressions = &suppressions;
  // At least room for a client's group of small documents
  // (AuditDocumentGroups: about 1 MiB a message) whatever the document limit.
  constexpr int kMinMessageBytes = 4 << 20;
  const int max_message_bytes = std::max(options.max_message_bytes, kMinMessageBytes);
  service_options.max_result_bytes = max_message_bytes;
  std::atomic<grpc::HealthCheckServiceInterface*> health_ptr{nullptr};
  auto set_serving = [&health_ptr](bool serving) {
    grpc::HealthCheckServiceInterface* h = health_ptr.load();
    if (h == nullptr) return;
    h->SetServingStatus(kServiceName, serving);
    h->SetServingStatus("", serving);
  };
  std::optional<PackReloader> reloader;
  // NOT_SERVING while the pack is (re)loaded, SERVING after either way: a
  // failed reload keeps the pack in force.
  // PackReloader serializes SIGHUP and ReloadRules reloads.
  auto reload = [&]() -> absl::StatusOr<std::string> {
    set_serving(false);
    auto reloaded = reloader->Reload();
    set_serving(true);
    if (!reloaded.ok()) {
      LogError("event=rules_reload_failed reason=\"", reloaded.status().message(),
               "\" (the pack in force stays in force)");
      return absl::Status(reloaded.status().code(),
                          absl::StrCat("invalid rule pack (the pack in force stays "
                                       "in force): ",
                                       reloaded.status().message()));
    }
    LogInfo("event=rules_reloaded pack=", (*reloaded)->name(), "@",
            (*reloaded)->version());
    return absl::StrCat((*reloaded)->name(), "@", (*reloaded)->version());
  };
  service_options.reload_rules = reload;
  AuditServiceImpl service(service_options);
  service.SetStartupPhase("loading the rule pack");

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.SetMaxReceiveMessageSize(max_message_bytes);
  builder.SetMaxSendMessageSize(max_message_bytes);
  int bound_port = 0;
  builder.AddListeningPort(options.listen, *credentials,
                           absl::StartsWith(options.listen, "unix:") ? nullptr
                                                                     : &bound_port);
  builder.RegisterService(&service);
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
      interceptors;
  interceptors.push_back(std::make_unique<MetricsInterceptorFactory>(&metrics));
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr) {
    return absl::FailedPreconditionError(absl::StrCat(
        "cannot listen on ", options.listen,
        ": address already in use or not valid"));
  }
  if (absl::StartsWith(options.listen, "unix:")) {
    chmod(UnixSocketPath(options.listen).c_str(), 0660);
  }
  grpc::HealthCheckServiceInterface* health = server->GetHealthCheckService();
  health->SetServingStatus(kServiceName, false);
  health->SetServingStatus("", false);
  LogInfo("event=listening address=", options.listen,
          bound_port > 0 ? absl::StrCat(" port=", bound_port) : std::string(),
          " tls=", tls ? (options.tls_client_ca.empty() ? "on" : "mutual") : "off",
          " auth=", guard.enabled() ? "tokens" : "none", " health=NOT_SERVING");
  auto stop = [&](absl::Status why) {
    server->Shutdown();
    server->Wait();
    if (absl::StartsWith(options.listen, "unix:")) {
      unlink(UnixSocketPath(options.listen).c_str());
    }
    return why;
  };

  absl::StatusOr<std::shared_ptr<const RulePack>> pack =
      RulePack::LoadFolder(options.rules_dir);
  if (!pack.ok()) {
    return stop(absl::Status(pack.status().code(),
                             absl::StrCat("invalid rule pack: ", pack.status().message())));
  }
  LogInfo("event=rules_loaded pack=", (*pack)->name(), "@", (*pack)->version(),
          " files=", (*pack)->files().size(), " dir=", options.rules_dir);
  PackHolder packs(*pack);
  reloader.emplace(options.rules_dir, &packs);

  service.SetStartupPhase("opening and migrating the database");
  StoreOptions store_options;
  // The write-time series is looked up once; failures (rare) on demand.
  metrics::Histogram& store_writes = metrics.store_write.With({});
  store_options.on_write = [&store_writes, &metrics](absl::Duration took,
                                                     bool ok) {
    store_writes.Observe(took);
    if (!ok) metrics.errors.With({"store_write", "failed"}).Add();
  };
  absl::StatusOr<std::unique_ptr<Store>> store =
      Store::Open(options.db_path, store_options);
  if (!store.ok()) return stop(store.status());
  LogInfo("event=store_open db=", options.db_path,
          " schema_version=", Store::SchemaVersion());
  {
    absl::StatusOr<std::vector<SuppressionRecord>> stored =
        (*store)->ListSuppressions();
    if (!stored.ok()) return stop(stored.status());
    std::vector<std::string> fingerprints;
    for (const SuppressionRecord& r : *stored) fingerprints.push_back(r.fingerprint);
    suppressions.Replace(fingerprints);
    LogInfo("event=admin_suppressions_loaded count=", fingerprints.size());
  }

  // The cross-document passage index, rebuilt from the stored passages.
  service.SetStartupPhase("rebuilding the cross-document index");
  xdoc::PassageIndex passage_index;
  {
    const absl::Time start = absl::Now();
    absl::StatusOr<int64_t> indexed =
        RebuildPassageIndex(**store, passage_index);
    if (!indexed.ok()) return stop(indexed.status());
    LogInfo("event=passage_index_rebuilt documents=", *indexed,
            " ms=", absl::ToInt64Milliseconds(absl::Now() - start));
  }

  PipelineOptions pipeline_options;
  pipeline_options.ingest = options.ingest;
  pipeline_options.suppressions = &suppressions;
  Pipeline pipeline(&packs, store->get(), pipeline_options, &passage_index);
  service.Attach(&pipeline, store->get(), &packs);
  health->SetServingStatus(kServiceName, true);
  health->SetServingStatus("", true);
  health_ptr.store(health);
  LogInfo("event=serving address=", options.listen, " health=SERVING");

  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  while (true) {
    int sig = 0;
    if (sigwait(&set, &sig) != 0) continue;
    if (sig == SIGHUP) {
      reload().IgnoreError();  // logged by reload
      continue;
    }
    LogInfo("event=shutdown signal=", sig == SIGTERM ? "SIGTERM" : "SIGINT",
            " grace_s=", absl::ToInt64Seconds(options.shutdown_grace));
    break;
  }
  health->SetServingStatus(kServiceName, false);
  health->SetServingStatus("", false);
  server->Shutdown(std::chrono::system_clock::now() +
                   absl::ToChronoSeconds(options.shutdown_grace));
  server->Wait();
  metrics_http.reset();
  store->reset();  // closes the database (checkpoints the WAL)
  if (absl::StartsWith(options.listen, "unix:")) {
    unlink(UnixSocketPath(options.listen).c_str());
  }
  LogInfo("event=stopped");
  return absl::OkStatus();
}

}  // namespace ra
