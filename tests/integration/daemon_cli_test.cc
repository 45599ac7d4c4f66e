// End to end: the real redaction-auditd on a temporary unix socket, driven
// by the real redaction-audit CLI, with what was stored checked through the
// gRPC API and the SQLite file.
#include <signal.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>

#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "integration/process.h"
#include "redaction_audit/v1/audit_service.grpc.pb.h"
#include "store/store.h"
#include "testing/testing.h"

namespace ra::testing {
namespace {

namespace v1 = ::redaction_audit::v1;
namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

const char kCase[] = "F-2014-20439";

class DaemonCliTest : public ::testing::Test {
 protected:
  void StartDaemon(const std::vector<std::string>& args = {}) {
    dir_ = MakeTempDir();
    daemon_ = std::make_unique<Daemon>(dir_, args);
    ASSERT_TRUE(daemon_->WaitReady()) << daemon_->log();
    channel_ = grpc::CreateChannel(daemon_->address(), grpc::InsecureChannelCredentials());
    stub_ = v1::AuditService::NewStub(channel_);
  }

  CommandResult Cli(std::vector<std::string> args) {
    args.insert(args.begin(), CliBinary());
    return RunCommand(args, {"REDACTION_AUDIT_SERVER=" + daemon_->address()});
  }

  std::vector<v1::Finding> AllFindings(v1::ListFindingsRequest request) {
    std::vector<v1::Finding> out;
    request.set_page_size(7);  // several pages
    while (true) {
      v1::ListFindingsResponse response;
      grpc::ClientContext ctx;
      grpc::Status s = stub_->ListFindings(&ctx, request, &response);
      EXPECT_TRUE(s.ok()) << s.error_message();
      out.insert(out.end(), response.findings().begin(), response.findings().end());
      if (!s.ok() || response.next_page_token().empty()) break;
      request.set_page_token(response.next_page_token());
    }
    return out;
  }

  v1::CaseReport Report() {
    v1::GetCaseReportRequest request;
    request.set_name(std::string("cases/") + kCase);
    v1::CaseReport report;
    grpc::ClientContext ctx;
    grpc::Status s = stub_->GetCaseReport(&ctx, request, &report);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return report;
  }

  std::string dir_;
  std::unique_ptr<Daemon> daemon_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::AuditService::Stub> stub_;
};

TEST_F(DaemonCliTest, AuditsSampleReleaseStoresOnceAndServesFindings) {
  StartDaemon();
  const std::string release = FixturePath("sample-release");
  CommandResult audit =
      Cli({"audit", release, "--manifest", release + "/manifest.csv"});
  EXPECT_THAT(audit.out, HasSubstr("audited 60 documents (0 already stored), 0 rejected"))
      << audit.err;
  // The sample has error findings, so the default --fail-on error gives 1.
  EXPECT_EQ(audit.exit_code, 1) << audit.err;

  v1::CaseReport report = Report();
  EXPECT_EQ(report.documents(), 60);
  EXPECT_EQ(report.versions(), 60);
  v1::ListFindingsRequest all;
  all.set_parent(std::string("cases/") + kCase);
  std::vector<v1::Finding> findings = AllFindings(all);
  EXPECT_EQ(static_cast<int64_t>(findings.size()), report.findings());
  ASSERT_FALSE(findings.empty());
  // Labels: C05768760 is stamped B5 but B5 is never marked inline.
  bool found = false;
  for (const auto& f : findings) {
    EXPECT_THAT(f.name(), HasSubstr(std::string("cases/") + kCase + "/documents/"));
    EXPECT_EQ(f.status(), v1::OPEN);
    if (f.name().find("/C05768760/") != std::string::npos &&
        f.rule() == "stamp.code-not-marked" && f.evidence() == "B5") {
      found = true;
    }
  }
  EXPECT_TRUE(found);

  // The CLI's JSON Lines carry the contract's keys and page through all.
  CommandResult json = Cli({"findings", "--case", kCase, "--format", "json"});
  EXPECT_EQ(std::count(json.out.begin(), json.out.end(), '\n'),
            static_cast<long>(findings.size()));
  for (const char* key : {"\"id\":", "\"rule\":", "\"severity\":", "\"status\":",
                          "\"document\":", "\"page\":", "\"line\":",
                          "\"message\":", "\"fingerprint\":"}) {
    EXPECT_THAT(json.out, HasSubstr(key));
  }
  CommandResult limited = Cli({"findings", "--limit", "3", "--format", "csv"});
  EXPECT_EQ(std::count(limited.out.begin(), limited.out.end(), '\n'), 4);  // + header

  // Submitting the same release again stores nothing new.
  CommandResult again = Cli({"audit", release, "--manifest", release + "/manifest.csv"});
  EXPECT_THAT(again.out, HasSubstr("audited 60 documents (60 already stored)"));
  EXPECT_EQ(Report().versions(), 60);
  EXPECT_EQ(AllFindings(all).size(), findings.size());
}

TEST_F(DaemonCliTest, ReviewThroughCliIsStoredWithHistoryAndEtag) {
  StartDaemon();
  const std::string release = FixturePath("sample-release");
  Cli({"audit", release, "--manifest", release + "/manifest.csv"});
  v1::ListFindingsRequest all;
  std::vector<v1::Finding> findings = AllFindings(all);
  ASSERT_GE(findings.size(), 2u);
  const v1::Finding& first = findings[0];

  CommandResult no_note = Cli({"review", first.name(), "--status", "waived"});
  EXPECT_EQ(no_note.exit_code, 2);
  EXPECT_THAT(no_note.err, HasSubstr("a waiver needs a note"));

  CommandResult waive = Cli({"review", first.name(), "--status", "waived", "--note",
                             "stamp code printed on the PDF margin", "--reviewer", "alice"});
  EXPECT_EQ(waive.exit_code, 0) << waive.err;
  // Plain numeric ids work too.
  const std::string second_id = findings[1].name().substr(findings[1].name().rfind('/') + 1);
  CommandResult confirm = Cli({"review", second_id, "--status", "confirmed", "--reviewer", "bob"});
  EXPECT_EQ(confirm.exit_code, 0) << confirm.err;

  v1::GetFindingRequest get;
  get.set_name(first.name());
  v1::Finding stored;
  grpc::ClientContext ctx;
  ASSERT_TRUE(stub_->GetFinding(&ctx, get, &stored).ok());
  EXPECT_EQ(stored.status(), v1::WAIVED);
  EXPECT_EQ(stored.etag(), first.etag() + 1);

  // A stale etag is refused.
  v1::ReviewFindingRequest stale;
  stale.set_name(first.name());
  stale.set_status(v1::CONFIRMED);
  stale.set_reviewer("carol");
  stale.set_etag(first.etag());
  v1::Finding out;
  grpc::ClientContext ctx2;
  grpc::Status s = stub_->ReviewFinding(&ctx2, stale, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::ABORTED) << s.error_message();

  CommandResult waived = Cli({"findings", "--status", "waived", "--format", "json"});
  EXPECT_EQ(std::count(waived.out.begin(), waived.out.end(), '\n'), 1);
  EXPECT_THAT(waived.out, HasSubstr(first.fingerprint()));
}

TEST_F(DaemonCliTest, BadInputGetsClearErrorsAndTheBatchGoesOn) {
  StartDaemon({"--max_document_bytes=200000"});
  const std::string batch = MakeTempDir();
  const std::string good_dir = batch + "/HRCEmail_JuneWeb";
  fs::create_directories(good_dir);
  fs::copy_file(FixturePath("sample-release/HRCEmail_JuneWeb/C05761411.txt"),
                good_dir + "/C05761411.txt");
  fs::copy_file(FixturePath("sample-release/HRCEmail_JuneWeb/C05759858.txt"),
                good_dir + "/C05759858.txt");
  std::ofstream(batch + "/C00000001.txt");  // empty
  std::ofstream(batch + "/C00000002.txt", std::ios::binary) << std::string("\x7f" "ELF\0\0\x01\x02", 8);
  std::ofstream(batch + "/C00000003.txt", std::ios::binary) << "Case No. F-2014-20439 caf\xE9 latin-1\n";
  std::ofstream(batch + "/C00000004.txt") << std::string(300000, 'x');
  std::ofstream(batch + "/C00000005.txt") << "a document nobody listed\n";
  std::ofstream(batch + "/manifest.csv")
      << "release,file,doc_number,case_number,release_date\n"
         "HRCEmail_JuneWeb,HRCEmail_JuneWeb/C05761411.txt,C05761411,F-2014-20439,2015-06-30\n"
         "HRCEmail_JuneWeb,HRCEmail_JuneWeb/C05759858.txt,C05759858,F-2014-20439\n"
         "X,,C00000001,F-2014-20439,2015-06-30\n"
         "X,,C00000002,F-2014-20439,2015-06-30\n"
         "X,,C00000003,F-2014-20439,2015-06-30\n"
         "X,,C00000004,F-2014-20439,2015-06-30\n";
  CommandResult r = Cli({"audit", batch, "--manifest", batch + "/manifest.csv"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("manifest.csv:3: row has 4 fields, header has 5; row skipped"));
  EXPECT_THAT(r.err, HasSubstr("C00000001.txt: empty document (0 bytes)"));
  EXPECT_THAT(r.err, HasSubstr("C00000002.txt: binary content (NUL byte at offset 4)"));
  EXPECT_THAT(r.err, HasSubstr("C00000003.txt: invalid UTF-8 at byte 25 (line 1)"));
  EXPECT_THAT(r.err, HasSubstr("C00000004.txt: document of 300000 bytes is over the limit of 200000 bytes"));
  EXPECT_THAT(r.err, HasSubstr("C00000005.txt: rejected: no row in the manifest"));
  EXPECT_THAT(r.err, HasSubstr("C05759858.txt: rejected: no row in the manifest"));
  EXPECT_THAT(r.out, HasSubstr("audited 1 documents (0 already stored), 6 rejected"));
  EXPECT_EQ(Report().documents(), 1);
  // The daemon is still up and serving.
  EXPECT_EQ(Cli({"rules"}).exit_code, 0);
}

TEST_F(DaemonCliTest, InspectJsonContract) {
  StartDaemon();
  CommandResult r = Cli({"inspect", "--format", "json",
                         FixturePath("sample-release/HRCEmail_JulyWeb/C05763089.txt")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1);
  for (const char* key : {"\"file\":", "\"disposition\":\"PART\"", "\"stamp_codes\":[",
                          "\"marks\":[{\"page\":1,", "\"case_numbers\":[\"F-2014-20439\"]",
                          "\"doc_numbers\":[\"C05763089\"]",
                          "\"release_dates\":[\"07/31/2015\"]",
                          "\"classification\":{\"level\":\"CONFIDENTIAL\""}) {
    EXPECT_THAT(r.out, HasSubstr(key));
  }
  // Inspect stores nothing.
  v1::ListFindingsRequest all;
  EXPECT_TRUE(AllFindings(all).empty());
}

TEST_F(DaemonCliTest, SecondDaemonOnSameSocketIsRefused) {
  StartDaemon();
  const std::string other = MakeTempDir();
  Daemon second(other, {"--listen=" + daemon_->address()});
  EXPECT_EQ(second.WaitExit(10), 1);
  EXPECT_THAT(second.log(), HasSubstr("address already in use"));
  EXPECT_EQ(Cli({"rules"}).exit_code, 0);
}

// A loopback TCP port free right now.
int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  socklen_t len = sizeof(addr);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

TEST(DaemonStartTest, TakenTcpPortIsRefused) {
  // SO_REUSEPORT is off, so a second daemon cannot share the port.
  const std::string a = MakeTempDir(), b = MakeTempDir();
  const std::string listen = "--listen=127.0.0.1:" + std::to_string(FreePort());
  Daemon first(a, {listen});
  ASSERT_EQ(first.WaitExit(1), -1) << first.log();
  Daemon second(b, {listen});
  EXPECT_EQ(second.WaitExit(10), 1);
  EXPECT_THAT(second.log(), HasSubstr("address already in use"));
}


TEST_F(DaemonCliTest, SigtermStopsCleanlyAndDataSurvivesRestart) {
  StartDaemon();
  const std::string release = FixturePath("sample-release");
  Cli({"audit", release, "--manifest", release + "/manifest.csv"});
  const int64_t findings = Report().findings();
  EXPECT_EQ(daemon_->Stop(SIGTERM), 0);
  EXPECT_FALSE(fs::exists(daemon_->socket_path()));
  EXPECT_THAT(daemon_->log(), HasSubstr("event=stopped"));
  // The database is whole and keeps everything.
  {
    auto store = Store::Open(daemon_->db_path());
    ASSERT_TRUE(store.ok()) << store.status();
    auto summary = (*store)->Summarize(kCase);
    ASSERT_TRUE(summary.ok());
    EXPECT_EQ(summary->documents, 60);
    EXPECT_EQ(summary->findings, findings);
  }
  Daemon again(dir_, {});
  ASSERT_TRUE(again.WaitReady()) << again.log();
  stub_ = v1::AuditService::NewStub(
      grpc::CreateChannel(again.address(), grpc::InsecureChannelCredentials()));
  EXPECT_EQ(Report().findings(), findings);
}

TEST_F(DaemonCliTest, UnixSocketIsGroupOnly) {
  StartDaemon();
  struct stat st;
  ASSERT_EQ(stat(daemon_->socket_path().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0660);
}

TEST(DaemonStartTest, InvalidRulePackIsRefusedWithLocation) {
  const std::string dir = MakeTempDir();
  fs::create_directories(dir + "/rules");
  std::ofstream(dir + "/rules/pack.textproto") << "name: \"x\"\nrules { id: \"nope\" }\n";
  Daemon d(dir, {"--rules=" + dir + "/rules"});
  EXPECT_EQ(d.WaitExit(10), 1);
  EXPECT_THAT(d.log(), HasSubstr("pack.textproto:2:9: unknown rule id \"nope\""));
}

TEST(DaemonStartTest, NonLoopbackWithoutTlsIsRefused) {
  const std::string dir = MakeTempDir();
  Daemon d(dir, {"--listen=0.0.0.0:0"});
  EXPECT_EQ(d.WaitExit(10), 1);
  EXPECT_THAT(d.log(), HasSubstr("without TLS"));
}

TEST(CliTest, ConnectionErrorExitsTwoWithReason) {
  CommandResult r = RunCommand({CliBinary(), "rules", "--server", "unix:/nonexistent/x.sock"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("cannot connect to unix:/nonexistent/x.sock"));
  CommandResult usage = RunCommand({CliBinary(), "audit"});
  EXPECT_EQ(usage.exit_code, 2);
  EXPECT_THAT(usage.err, HasSubstr("audit needs at least one file or folder"));
}

}  // namespace
}  // namespace ra::testing
