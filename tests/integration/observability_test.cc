// Operations, end to end with the real daemon: the Prometheus endpoint
// scraped over a real socket after real audits (counts equal what was sent
// and what was stored), structured log lines, and the health service
// NOT_SERVING while the daemon migrates its database at start.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sqlite3.h>
#include <sys/socket.h>
#include <unistd.h>

#include <map>
#include <regex>
#include <sstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "integration/process.h"
#include "redaction_audit/v1/audit_service.grpc.pb.h"
#include "testing/testing.h"

namespace ra::testing {
namespace {

namespace v1 = ::redaction_audit::v1;
using ::grpc::health::v1::HealthCheckRequest;
using ::grpc::health::v1::HealthCheckResponse;
using ::testing::HasSubstr;

const char kCase[] = "F-2014-20439";

// One HTTP exchange with 127.0.0.1:port; the whole response.
std::string Http(int port, const std::string& request) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(fd);
    return "";
  }
  send(fd, request.data(), request.size(), MSG_NOSIGNAL);
  std::string out;
  char buf[8192];
  ssize_t n;
  while ((n = recv(fd, buf, sizeof(buf), 0)) > 0) out.append(buf, static_cast<size_t>(n));
  close(fd);
  return out;
}

// Sample lines of a text exposition: "name{labels}" -> value.
std::map<std::string, double> ParseMetrics(const std::string& body) {
  std::map<std::string, double> out;
  std::istringstream in(body);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const size_t space = line.rfind(' ');
    out[line.substr(0, space)] = std::stod(line.substr(space + 1));
  }
  return out;
}

int MetricsPort(const Daemon& daemon) {
  const std::string log = daemon.log();
  std::smatch m;
  const std::regex port("event=metrics_listening address=\\S+ port=(\\d+)");
  return std::regex_search(log, m, port) ? std::stoi(m[1]) : 0;
}

HealthCheckResponse::ServingStatus Health(grpc::Channel* channel) {
  auto health = ::grpc::health::v1::Health::NewStub(
      std::shared_ptr<grpc::Channel>(channel, [](grpc::Channel*) {}));
  HealthCheckRequest request;  // "": the whole server
  HealthCheckResponse response;
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  grpc::Status s = health->Check(&ctx, request, &response);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return response.status();
}

TEST(ObservabilityTest, MetricsCountWhatWasAuditedAndStored) {
  const std::string dir = MakeTempDir();
  Daemon daemon(dir, {"--metrics_listen=127.0.0.1:0"});
  ASSERT_TRUE(daemon.WaitReady()) << daemon.log();
  const int port = MetricsPort(daemon);
  ASSERT_GT(port, 0) << daemon.log();

  const std::string release = FixturePath("sample-release");
  CommandResult audit = RunCommand(
      {CliBinary(), "audit", release, "--manifest", release + "/manifest.csv"},
      {"REDACTION_AUDIT_SERVER=" + daemon.address()});
  ASSERT_THAT(audit.out, HasSubstr("audited 60 documents (0 already stored), 0 rejected"))
      << audit.err;
  // One document rejected (no case number), with a line break in its name.
  auto channel = grpc::CreateChannel(daemon.address(), grpc::InsecureChannelCredentials());
  auto stub = v1::AuditService::NewStub(channel);
  {
    v1::AuditDocumentRequest bad;
    bad.set_file_name("two\nlines.txt");
    bad.set_content("RELEASE IN FULL\n");
    v1::AuditDocumentResponse r;
    grpc::ClientContext ctx;
    EXPECT_EQ(stub->AuditDocument(&ctx, bad, &r).error_code(),
              grpc::StatusCode::INVALID_ARGUMENT);
  }
  v1::CaseReport report;
  {
    v1::GetCaseReportRequest request;
    request.set_name(std::string("cases/") + kCase);
    grpc::ClientContext ctx;
    ASSERT_TRUE(stub->GetCaseReport(&ctx, request, &report).ok());
  }

  // Garbage and other paths first: the endpoint answers and stays up.
  EXPECT_THAT(Http(port, "\x16\x03\x01garbage\r\n\r\n"), ::testing::StartsWith("HTTP/1.1 400"));
  EXPECT_THAT(Http(port, "GET / HTTP/1.1\r\n\r\n"), ::testing::StartsWith("HTTP/1.1 404"));
  const std::string response = Http(port, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_THAT(response, ::testing::StartsWith("HTTP/1.1 200 OK\r\n"));
  EXPECT_THAT(response, HasSubstr("Content-Type: text/plain; version=0.0.4"));
  const std::string body = response.substr(response.find("\r\n\r\n") + 4);
  EXPECT_THAT(body, HasSubstr("# TYPE ra_findings_total counter\n"));
  EXPECT_THAT(body, HasSubstr("# TYPE ra_rpc_duration_seconds histogram\n"));
  const std::map<std::string, double> m = ParseMetrics(body);

  auto value = [&m](const std::string& key) {
    auto it = m.find(key);
    return it == m.end() ? -1.0 : it->second;
  };
  EXPECT_EQ(value("ra_documents_audited_total{stored=\"new\"}"), 60);
  EXPECT_EQ(value("ra_errors_total{kind=\"document_rejected\",code=\"INVALID_ARGUMENT\"}"), 1);
  EXPECT_EQ(value("ra_rpcs_total{method=\"AuditDocument\",code=\"INVALID_ARGUMENT\"}"), 1);
  EXPECT_EQ(value("ra_rpcs_total{method=\"GetCaseReport\",code=\"OK\"}"), 1);
  EXPECT_GE(value("ra_rpc_duration_seconds_count{method=\"AuditDocumentGroups\"}"), 1);
  EXPECT_EQ(value("ra_rpc_duration_seconds_bucket{method=\"AuditDocumentGroups\",le=\"+Inf\"}"),
            value("ra_rpc_duration_seconds_count{method=\"AuditDocumentGroups\"}"));
  EXPECT_GE(value("ra_store_write_seconds_count"), 1);
  EXPECT_GT(value("ra_store_write_seconds_sum"), 0);

  // Findings by rule: the counters equal what the store holds.
  std::map<std::string, double> counted;
  int64_t total = 0;
  for (const auto& [key, v] : m) {
    if (key.rfind("ra_findings_total{rule=\"", 0) != 0) continue;
    const size_t start = key.find('"') + 1;
    counted[key.substr(start, key.find('"', start) - start)] += v;
    total += static_cast<int64_t>(v);
  }
  std::map<std::string, double> stored;
  for (const v1::CountByKey& kv : report.by_rule()) stored[kv.key()] = kv.count();
  EXPECT_EQ(counted, stored);
  EXPECT_EQ(total, report.findings());
  EXPECT_GT(total, 0);

  // The log: one event per line, the name's line break escaped.
  daemon.Stop(SIGTERM);
  const std::string log = daemon.log();
  std::istringstream lines(log);
  std::string line;
  int audits = 0;
  const std::regex event(
      "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z (INFO|WARN|ERROR) event=[a-z_]+( .*)?");
  while (std::getline(lines, line)) {
    EXPECT_TRUE(std::regex_match(line, event)) << line;
    if (line.find(" event=audit ") != std::string::npos) ++audits;
  }
  EXPECT_EQ(audits, 60);
  EXPECT_THAT(log, HasSubstr("file=\"two\\nlines.txt\""));
}

// A new database at `path` in WAL mode whose write lock this process
// holds, as another process might, so that a daemon's migration of it waits;
// nullptr when it cannot be made.
sqlite3* HoldWriteLock(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK ||
      sqlite3_exec(db, "PRAGMA journal_mode=WAL; BEGIN IMMEDIATE;", nullptr, nullptr,
                   nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    return nullptr;
  }
  return db;
}

TEST(ObservabilityTest, NotServingWhileTheDatabaseMigrates) {
  const std::string dir = MakeTempDir();
  const std::string db_path = dir + "/audit.sqlite";
  // Another process holds the write lock on an empty database (schema
  // version 0), so the daemon's migration waits for it.
  sqlite3* db = HoldWriteLock(db_path);
  ASSERT_NE(db, nullptr);
  Daemon daemon(dir, {"--db=" + db_path});
  ASSERT_TRUE(daemon.WaitListening()) << daemon.log();
  for (int i = 0; i < 200 && daemon.log().find("event=rules_loaded") == std::string::npos;
       ++i) {
    usleep(20000);
  }
  auto channel = grpc::CreateChannel(daemon.address(), grpc::InsecureChannelCredentials());
  EXPECT_EQ(Health(channel.get()), HealthCheckResponse::NOT_SERVING);
  auto stub = v1::AuditService::NewStub(channel);
  v1::ListRulesResponse rules;
  {
    grpc::ClientContext ctx;
    grpc::Status s = stub->ListRules(&ctx, v1::ListRulesRequest(), &rules);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE);
    EXPECT_THAT(s.error_message(),
                HasSubstr("ListRules: redaction-auditd is starting (opening and "
                          "migrating the database)"));
  }
  EXPECT_THAT(daemon.log(), ::testing::Not(HasSubstr("event=serving")));

  // Lock released: the migration runs and the daemon serves.
  ASSERT_EQ(sqlite3_exec(db, "COMMIT;", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  ASSERT_TRUE(daemon.WaitReady()) << daemon.log();
  EXPECT_EQ(Health(channel.get()), HealthCheckResponse::SERVING);
  grpc::ClientContext ctx;
  EXPECT_TRUE(stub->ListRules(&ctx, v1::ListRulesRequest(), &rules).ok());
  EXPECT_GT(rules.rules_size(), 0);
}

// `audit` started as soon as the daemon listens, while it still migrates
// its store: the CLI opens its stream again until the daemon serves, and
// the whole batch is audited. Its first message (four documents of about
// 250 KB, a real one printed 100 times) is larger than what gRPC's own
// retries replay (256 KiB).
TEST(ObservabilityTest, AuditStartedWhileTheDaemonStartsWaitsForIt) {
  const std::string dir = MakeTempDir();
  const std::string batch = MakeTempDir();
  const std::string page =
      ReadFileOrDie(FixturePath("sample-release/HRCEmail_JuneWeb/C05758510.txt"));
  std::string big;
  for (int i = 0; i < 100; ++i) big += page;
  for (int i = 0; i < 8; ++i) WriteFile(batch, absl::StrCat("C0000000", i, ".txt"), big);
  const std::string db_path = dir + "/audit.sqlite";
  sqlite3* db = HoldWriteLock(db_path);
  ASSERT_NE(db, nullptr);
  Daemon daemon(dir, {"--db=" + db_path});
  ASSERT_TRUE(daemon.WaitListening()) << daemon.log();
  CommandResult audit;
  std::thread cli([&] { audit = RunCli(daemon, {"audit", batch, "--case", "F-1", "--quiet"}); });
  // The CLI meets a daemon that is starting for about a second.
  usleep(1000000);
  EXPECT_THAT(daemon.log(), ::testing::Not(HasSubstr("event=serving")));
  ASSERT_EQ(sqlite3_exec(db, "COMMIT;", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  cli.join();
  EXPECT_LE(audit.exit_code, 1) << audit.err;
  EXPECT_THAT(audit.out, HasSubstr("audited 8 documents (0 already stored), 0 rejected"))
      << audit.err;
}

}  // namespace
}  // namespace ra::testing
