// Security at the edge, end to end: the real daemon with --auth_tokens,
// TLS and mutual TLS (certificates made by openssl at test time), each role
// against each rpc, the refusal to listen insecurely, and the request
// limits.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>

#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "integration/process.h"
#include "redaction_audit/v1/audit_service.grpc.pb.h"
#include "store/store.h"
#include "testing/testing.h"
#include "util/sha256.h"

namespace ra::testing {
namespace {

namespace v1 = ::redaction_audit::v1;
using ::testing::HasSubstr;

const char kCase[] = "F-2014-20439";

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// A CA, a server certificate for localhost/127.0.0.1 and a client
// certificate with common name "ci-bot", all signed by the CA.
void MakeCertificates(const std::string& dir) {
  const std::string openssl = "/usr/bin/openssl";
  auto run = [&](std::vector<std::string> args) {
    args.insert(args.begin(), openssl);
    CommandResult r = RunCommand(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  };
  const std::vector<std::string> ec = {"-newkey", "ec", "-pkeyopt",
                                       "ec_paramgen_curve:prime256v1", "-nodes"};
  auto req = [&](const std::string& name, const std::string& cn) {
    std::vector<std::string> args = {"req"};
    args.insert(args.end(), ec.begin(), ec.end());
    args.insert(args.end(), {"-keyout", dir + "/" + name + ".key", "-out",
                             dir + "/" + name + ".csr", "-subj", "/CN=" + cn});
    run(args);
  };
  std::vector<std::string> ca = {"req", "-x509"};
  ca.insert(ca.end(), ec.begin(), ec.end());
  ca.insert(ca.end(), {"-keyout", dir + "/ca.key", "-out", dir + "/ca.pem",
                       "-days", "2", "-subj", "/CN=redaction-audit test CA"});
  run(ca);
  WriteFile(dir + "/server.ext", "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
  WriteFile(dir + "/client.ext", "extendedKeyUsage=clientAuth\n");
  for (const auto& [name, cn] : std::vector<std::pair<std::string, std::string>>{
           {"server", "localhost"}, {"client", "ci-bot"}}) {
    req(name, cn);
    run({"x509", "-req", "-in", dir + "/" + name + ".csr", "-CA", dir + "/ca.pem",
         "-CAkey", dir + "/ca.key", "-CAcreateserial", "-days", "2", "-out",
         dir + "/" + name + ".pem", "-extfile", dir + "/" + name + ".ext"});
  }
}

// The daemon's log once it contains `text` (waits up to 10 s: the port
// accepts connections just before the "listening" line is written).
std::string LogWith(const Daemon& daemon, const std::string& text) {
  std::string log;
  for (int i = 0; i < 200; ++i) {
    log = daemon.log();
    if (log.find(text) != std::string::npos) break;
    usleep(50000);
  }
  return log;
}

struct Caller {
  const char* label;
  std::string token;  // empty: none sent
  int role;           // 0 none, 1 submitter, 2 reviewer, 3 admin
};

class SecurityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = MakeTempDir();
    tokens_ = dir_ + "/tokens";
    WriteFile(tokens_, "# test tokens\n" + Sha256Hex("sub-token") +
                           " submitter Sam Submitter\n" + Sha256Hex("rev-token") +
                           " reviewer Rita Reviewer\n" + Sha256Hex("adm-token") +
                           " admin Alex Admin\n"
                           "x509:ci-bot reviewer CI Bot\n");
    document_ = ReadFileOrDie(
        FixturePath("sample-release/Clinton_Email_August_Release/C05768760.txt"));
  }

  v1::AuditDocumentRequest AuditRequest() const {
    v1::AuditDocumentRequest request;
    request.mutable_metadata()->set_case_number(kCase);
    request.mutable_metadata()->set_doc_number("C05768760");
    request.set_file_name("C05768760.txt");
    request.set_content(document_);
    return request;
  }

  CommandResult Cli(const std::string& address, std::vector<std::string> args,
                    std::vector<std::string> env = {}) {
    args.insert(args.begin(), CliBinary());
    env.push_back("REDACTION_AUDIT_SERVER=" + address);
    return RunCommand(args, env);
  }

  std::string dir_, tokens_, document_;
};

void WithToken(grpc::ClientContext* ctx, const std::string& token) {
  if (!token.empty()) ctx->AddMetadata("authorization", "Bearer " + token);
}

TEST_F(SecurityTest, EachRoleAgainstEachRpc) {
  Daemon daemon(dir_, {"--auth_tokens=" + tokens_});
  ASSERT_TRUE(daemon.WaitReady()) << daemon.log();
  auto stub = v1::AuditService::NewStub(
      grpc::CreateChannel(daemon.address(), grpc::InsecureChannelCredentials()));

  // A stored finding to read and review.
  v1::AuditDocumentResponse audited;
  {
    grpc::ClientContext ctx;
    WithToken(&ctx, "sub-token");
    ASSERT_TRUE(stub->AuditDocument(&ctx, AuditRequest(), &audited).ok());
    ASSERT_GT(audited.findings_size(), 0);
  }
  const std::string finding = audited.findings(0).name();
  int backups = 0;

  using Call = std::function<grpc::Status(grpc::ClientContext*)>;
  const std::vector<std::tuple<const char*, int, Call>> rpcs = {
      {"AuditDocument", 1,
       [&](grpc::ClientContext* ctx) {
         v1::AuditDocumentResponse r;
         return stub->AuditDocument(ctx, AuditRequest(), &r);
       }},
      {"AuditDocuments", 1,
       [&](grpc::ClientContext* ctx) {
         auto stream = stub->AuditDocuments(ctx);
         stream->Write(AuditRequest());
         stream->WritesDone();
         v1::AuditDocumentsResponse r;
         while (stream->Read(&r)) {
         }
         return stream->Finish();
       }},
      {"AuditDocumentGroups", 1,
       [&](grpc::ClientContext* ctx) {
         auto stream = stub->AuditDocumentGroups(ctx);
         v1::AuditDocumentGroup group;
         *group.add_documents() = AuditRequest();
         stream->Write(group);
         stream->WritesDone();
         v1::AuditDocumentGroupResults r;
         while (stream->Read(&r)) {
         }
         return stream->Finish();
       }},
      {"InspectDocument", 1,
       [&](grpc::ClientContext* ctx) {
         v1::InspectDocumentRequest req;
         req.set_content(document_);
         req.set_file_name("C05768760.txt");
         v1::InspectDocumentResponse r;
         return stub->InspectDocument(ctx, req, &r);
       }},
      {"ListFindings", 1,
       [&](grpc::ClientContext* ctx) {
         v1::ListFindingsResponse r;
         return stub->ListFindings(ctx, v1::ListFindingsRequest(), &r);
       }},
      {"GetFinding", 1,
       [&](grpc::ClientContext* ctx) {
         v1::GetFindingRequest req;
         req.set_name(finding);
         v1::Finding r;
         return stub->GetFinding(ctx, req, &r);
       }},
      {"ReviewFinding", 2,
       [&](grpc::ClientContext* ctx) {
         v1::ReviewFindingRequest req;
         req.set_name(finding);
         req.set_status(v1::CONFIRMED);
         req.set_reviewer("Mallory Claimed");
         v1::Finding r;
         return stub->ReviewFinding(ctx, req, &r);
       }},
      {"GetCaseReport", 1,
       [&](grpc::ClientContext* ctx) {
         v1::GetCaseReportRequest req;
         req.set_name(std::string("cases/") + kCase);
         v1::CaseReport r;
         return stub->GetCaseReport(ctx, req, &r);
       }},
      {"CheckRelease", 1,
       [&](grpc::ClientContext* ctx) {
         v1::CheckReleaseRequest req;
         req.set_name(std::string("cases/") + kCase);
         v1::ListedDocument* row = req.add_documents();
         row->set_doc_number("C05768760");
         v1::CheckReleaseResponse r;
         return stub->CheckRelease(ctx, req, &r);
       }},
      {"ListRules", 1,
       [&](grpc::ClientContext* ctx) {
         v1::ListRulesResponse r;
         return stub->ListRules(ctx, v1::ListRulesRequest(), &r);
       }},
      {"ListStoredVersions", 1,
       [&](grpc::ClientContext* ctx) {
         v1::ListStoredVersionsRequest req;
         req.set_parent(std::string("cases/") + kCase);
         v1::ListStoredVersionsResponse r;
         return stub->ListStoredVersions(ctx, req, &r);
       }},
      {"BackupDatabase", 3,
       [&](grpc::ClientContext* ctx) {
         v1::BackupDatabaseRequest req;
         req.set_path(dir_ + "/backup-" + std::to_string(++backups) + ".sqlite");
         v1::BackupDatabaseResponse r;
         return stub->BackupDatabase(ctx, req, &r);
       }},
      {"ReloadRules", 3,
       [&](grpc::ClientContext* ctx) {
         v1::ReloadRulesResponse r;
         return stub->ReloadRules(ctx, v1::ReloadRulesRequest(), &r);
       }},
      // The admin adds it, so the admin's RemoveSuppression finds it.
      {"AddSuppression", 3,
       [&](grpc::ClientContext* ctx) {
         v1::AddSuppressionRequest req;
         req.set_fingerprint(audited.findings(0).fingerprint());
         req.set_reason("role test");
         v1::AdminSuppression r;
         return stub->AddSuppression(ctx, req, &r);
       }},
      {"ListSuppressions", 3,
       [&](grpc::ClientContext* ctx) {
         v1::ListSuppressionsResponse r;
         return stub->ListSuppressions(ctx, v1::ListSuppressionsRequest(), &r);
       }},
      {"RemoveSuppression", 3,
       [&](grpc::ClientContext* ctx) {
         v1::RemoveSuppressionRequest req;
         req.set_fingerprint(audited.findings(0).fingerprint());
         v1::AdminSuppression r;
         return stub->RemoveSuppression(ctx, req, &r);
       }},
  };
  const std::vector<Caller> callers = {{"no token", "", 0},
                                       {"unknown token", "guessed", 0},
                                       {"submitter", "sub-token", 1},
                                       {"reviewer", "rev-token", 2},
                                       {"admin", "adm-token", 3}};
  for (const auto& [method, needed, call] : rpcs) {
    for (const Caller& caller : callers) {
      grpc::ClientContext ctx;
      WithToken(&ctx, caller.token);
      grpc::Status s = call(&ctx);
      const grpc::StatusCode want = caller.role == 0 ? grpc::StatusCode::UNAUTHENTICATED
                                    : caller.role < needed
                                        ? grpc::StatusCode::PERMISSION_DENIED
                                        : grpc::StatusCode::OK;
      EXPECT_EQ(s.error_code(), want)
          << method << " as " << caller.label << ": " << s.error_message();
      if (want == grpc::StatusCode::PERMISSION_DENIED) {
        EXPECT_THAT(s.error_message(), HasSubstr(method));
      }
    }
  }

  // The history names the authenticated principals, never the claimed name.
  daemon.Stop(SIGTERM);
  auto store = Store::Open(daemon.db_path());
  ASSERT_TRUE(store.ok()) << store.status();
  const int64_t id = std::stoll(finding.substr(finding.rfind('/') + 1));
  auto history = (*store)->History(id);
  ASSERT_TRUE(history.ok()) << history.status();
  std::vector<std::string> reviewers;
  for (const auto& entry : *history) reviewers.push_back(entry.reviewer);
  EXPECT_THAT(reviewers, ::testing::IsSupersetOf(
                             {std::string("Rita Reviewer"), std::string("Alex Admin")}));
  EXPECT_THAT(reviewers, ::testing::Not(::testing::Contains("Mallory Claimed")));
  // The admin's backups are complete databases.
  ASSERT_FALSE(std::filesystem::exists(dir_ + "/backup-1.sqlite"));  // denied
  auto backup = Store::Open(dir_ + "/backup-" + std::to_string(backups) + ".sqlite");
  ASSERT_TRUE(backup.ok()) << backup.status();
  auto versions = (*backup)->StoredVersions(kCase);
  ASSERT_TRUE(versions.ok());
  EXPECT_EQ(versions->size(), 1u);
}

TEST_F(SecurityTest, CliSendsTokenFromFileOrEnvironment) {
  Daemon daemon(dir_, {"--auth_tokens=" + tokens_});
  ASSERT_TRUE(daemon.WaitReady()) << daemon.log();
  CommandResult none = Cli(daemon.address(), {"rules"});
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_THAT(none.err, HasSubstr("requires a token"));
  WriteFile(dir_ + "/my-token", "adm-token\n");
  CommandResult file = Cli(daemon.address(), {"rules", "--token-file", dir_ + "/my-token"});
  EXPECT_EQ(file.exit_code, 0) << file.err;
  CommandResult env = Cli(daemon.address(), {"admin", "backup", dir_ + "/b.sqlite"},
                          {"REDACTION_AUDIT_TOKEN=sub-token"});
  EXPECT_EQ(env.exit_code, 2);
  EXPECT_THAT(env.err, HasSubstr("may not call BackupDatabase"));
  CommandResult admin = Cli(daemon.address(), {"admin", "backup", dir_ + "/b.sqlite"},
                            {"REDACTION_AUDIT_TOKEN=adm-token"});
  EXPECT_EQ(admin.exit_code, 0) << admin.err;
  EXPECT_TRUE(std::filesystem::exists(dir_ + "/b.sqlite"));
}

TEST_F(SecurityTest, RefusesToListenInsecurely) {
  const std::string port = std::to_string(FreeTcpPort());
  {
    Daemon open(dir_, {"--listen=0.0.0.0:" + port, "--insecure"});
    EXPECT_EQ(open.WaitExit(20), 1);
    EXPECT_THAT(open.log(), HasSubstr("without --auth_tokens"));
  }
  {
    Daemon no_tls(dir_, {"--listen=0.0.0.0:" + port, "--auth_tokens=" + tokens_});
    EXPECT_EQ(no_tls.WaitExit(20), 1);
    EXPECT_THAT(no_tls.log(), HasSubstr("without TLS"));
  }
  {
    Daemon half(dir_, {"--listen=127.0.0.1:" + port, "--tls_cert=" + tokens_});
    EXPECT_EQ(half.WaitExit(20), 1);
    EXPECT_THAT(half.log(), HasSubstr("--tls_cert and --tls_key go together"));
  }
}

TEST_F(SecurityTest, TlsOnAndOff) {
  MakeCertificates(dir_);
  const std::string port = std::to_string(FreeTcpPort());
  Daemon daemon(dir_, {"--listen=127.0.0.1:" + port, "--tls_cert=" + dir_ + "/server.pem",
                       "--tls_key=" + dir_ + "/server.key"});
  ASSERT_TRUE(daemon.WaitReady()) << daemon.log();
  EXPECT_THAT(LogWith(daemon, "tls="), HasSubstr("tls=on"));
  CommandResult ok = Cli(daemon.address(), {"rules", "--tls-ca", dir_ + "/ca.pem"});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  CommandResult env = Cli(daemon.address(), {"rules"},
                          {"REDACTION_AUDIT_TLS_CA=" + dir_ + "/ca.pem"});
  EXPECT_EQ(env.exit_code, 0) << env.err;
  // Plaintext against a TLS port, and TLS trusting the wrong CA, both fail.
  CommandResult plain = Cli(daemon.address(), {"rules"});
  EXPECT_EQ(plain.exit_code, 2);
  CommandResult wrong_ca = Cli(daemon.address(), {"rules", "--tls-ca", dir_ + "/client.pem"});
  EXPECT_EQ(wrong_ca.exit_code, 2);
  EXPECT_THAT(wrong_ca.err, HasSubstr("TLS handshake"));
}

TEST_F(SecurityTest, MutualTlsAndCertificateRoles) {
  MakeCertificates(dir_);
  const std::string port = std::to_string(FreeTcpPort());
  Daemon daemon(dir_, {"--listen=127.0.0.1:" + port, "--tls_cert=" + dir_ + "/server.pem",
                       "--tls_key=" + dir_ + "/server.key",
                       "--tls_client_ca=" + dir_ + "/ca.pem", "--auth_tokens=" + tokens_});
  ASSERT_TRUE(daemon.WaitReady()) << daemon.log();
  EXPECT_THAT(LogWith(daemon, "tls="), HasSubstr("tls=mutual auth=tokens"));
  const std::vector<std::string> client_cert = {"--tls-ca", dir_ + "/ca.pem", "--tls-cert",
                                                dir_ + "/client.pem", "--tls-key",
                                                dir_ + "/client.key"};
  // Without a client certificate the handshake fails.
  CommandResult no_cert = Cli(daemon.address(), {"rules", "--tls-ca", dir_ + "/ca.pem"},
                              {"REDACTION_AUDIT_TOKEN=adm-token"});
  EXPECT_EQ(no_cert.exit_code, 2);
  // The certificate's CN maps to a reviewer: reads allowed, admin denied.
  std::vector<std::string> rules = {"rules"};
  rules.insert(rules.end(), client_cert.begin(), client_cert.end());
  CommandResult read = Cli(daemon.address(), rules);
  EXPECT_EQ(read.exit_code, 0) << read.err;
  std::vector<std::string> reload = {"admin", "reload-rules"};
  reload.insert(reload.end(), client_cert.begin(), client_cert.end());
  CommandResult denied = Cli(daemon.address(), reload);
  EXPECT_EQ(denied.exit_code, 2);
  EXPECT_THAT(denied.err, HasSubstr("CI Bot (role reviewer) may not call ReloadRules"));
  // A token takes precedence over the certificate.
  CommandResult admin = Cli(daemon.address(), reload, {"REDACTION_AUDIT_TOKEN=adm-token"});
  EXPECT_EQ(admin.exit_code, 0) << admin.err;
  EXPECT_THAT(admin.out, HasSubstr("rules in force:"));
}

TEST_F(SecurityTest, EachLimitRejectsWithPreciseStatus) {
  Daemon daemon(dir_, {"--max_lines=20", "--max_streams=1", "--max_document_bytes=200000"});
  ASSERT_TRUE(daemon.WaitReady()) << daemon.log();
  auto stub = v1::AuditService::NewStub(
      grpc::CreateChannel(daemon.address(), grpc::InsecureChannelCredentials()));
  auto audit = [&](const std::string& content) {
    v1::AuditDocumentRequest request = AuditRequest();
    request.set_content(content);
    v1::AuditDocumentResponse r;
    grpc::ClientContext ctx;
    return stub->AuditDocument(&ctx, request, &r);
  };
  grpc::Status lines = audit(document_);
  EXPECT_EQ(lines.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_THAT(lines.error_message(), HasSubstr("C05768760.txt: more than 20 lines"));
  grpc::Status size = audit(std::string(300000, 'a'));
  EXPECT_EQ(size.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  grpc::Status pages = audit(std::string(6000, '\f'));
  EXPECT_EQ(pages.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_THAT(pages.error_message(), HasSubstr("--max_pages"));

  // One stream at a time: a second concurrent stream is refused.
  grpc::ClientContext first_ctx;
  auto first = stub->AuditDocuments(&first_ctx);
  v1::AuditDocumentRequest small = AuditRequest();
  small.set_content("RELEASE IN FULL\nshort\n");
  ASSERT_TRUE(first->Write(small));
  v1::AuditDocumentsResponse got;
  ASSERT_TRUE(first->Read(&got));  // the first stream is open on the daemon
  grpc::ClientContext second_ctx;
  auto second = stub->AuditDocuments(&second_ctx);
  second->WritesDone();
  while (second->Read(&got)) {
  }
  grpc::Status refused = second->Finish();
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_THAT(refused.error_message(), HasSubstr("--max_streams"));
  first->WritesDone();
  while (first->Read(&got)) {
  }
  EXPECT_TRUE(first->Finish().ok());
}

TEST_F(SecurityTest, LineLengthLimit) {
  Daemon daemon(dir_, {"--max_line_bytes=100"});
  ASSERT_TRUE(daemon.WaitReady()) << daemon.log();
  auto stub = v1::AuditService::NewStub(
      grpc::CreateChannel(daemon.address(), grpc::InsecureChannelCredentials()));
  v1::AuditDocumentRequest request = AuditRequest();
  request.set_content("RELEASE IN FULL\n" + std::string(101, 'y') + "\n");
  v1::AuditDocumentResponse r;
  grpc::ClientContext ctx;
  grpc::Status s = stub->AuditDocument(&ctx, request, &r);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("line 2 is 101 bytes long"));
  EXPECT_THAT(s.error_message(), HasSubstr("--max_line_bytes"));
}

TEST_F(SecurityTest, AdminSuppressionsApplyLikePackSuppressions) {
  Daemon daemon(dir_, {"--auth_tokens=" + tokens_});
  ASSERT_TRUE(daemon.WaitReady()) << daemon.log();
  auto stub = v1::AuditService::NewStub(
      grpc::CreateChannel(daemon.address(), grpc::InsecureChannelCredentials()));
  v1::AuditDocumentResponse first;
  {
    grpc::ClientContext ctx;
    WithToken(&ctx, "sub-token");
    ASSERT_TRUE(stub->AuditDocument(&ctx, AuditRequest(), &first).ok());
  }
  ASSERT_GE(first.findings_size(), 2);
  const v1::Finding target = first.findings(0);
  const std::string fp = target.fingerprint();
  const std::vector<std::string> admin = {"REDACTION_AUDIT_TOKEN=adm-token"};

  CommandResult no_reason = Cli(daemon.address(), {"admin", "suppress", fp}, admin);
  EXPECT_EQ(no_reason.exit_code, 2);
  EXPECT_THAT(no_reason.err, HasSubstr("needs --reason"));
  CommandResult reviewer = Cli(daemon.address(), {"admin", "suppress", fp, "--reason", "x"},
                               {"REDACTION_AUDIT_TOKEN=rev-token"});
  EXPECT_EQ(reviewer.exit_code, 2);
  EXPECT_THAT(reviewer.err, HasSubstr("may not call AddSuppression"));
  CommandResult bad = Cli(daemon.address(), {"admin", "suppress", "C0FFEE", "--reason", "x"},
                          admin);
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.err, HasSubstr("is not 32 hex digits"));
  CommandResult added = Cli(daemon.address(),
                            {"admin", "suppress", fp, "--reason", "printed in the July release"},
                            admin);
  ASSERT_EQ(added.exit_code, 0) << added.err;
  EXPECT_THAT(added.out, HasSubstr("suppressed " + fp));
  EXPECT_THAT(added.out, HasSubstr("Alex Admin"));
  CommandResult twice = Cli(daemon.address(), {"admin", "suppress", fp, "--reason", "y"}, admin);
  EXPECT_EQ(twice.exit_code, 2);
  EXPECT_THAT(twice.err, HasSubstr("already suppressed (by Alex Admin"));
  CommandResult listed = Cli(daemon.address(), {"admin", "suppressions"}, admin);
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_THAT(listed.out, ::testing::MatchesRegex(
                              fp + "  20[0-9-]+T[0-9:]+Z  Alex Admin  printed in the July release\n"));

  // A new version (a line added at the top keeps fingerprints): the
  // suppressed finding is not produced, so it is fixed; the others stay.
  v1::AuditDocumentRequest changed = AuditRequest();
  changed.set_content("\n" + document_);
  v1::AuditDocumentResponse second;
  {
    grpc::ClientContext ctx;
    WithToken(&ctx, "sub-token");
    ASSERT_TRUE(stub->AuditDocument(&ctx, changed, &second).ok());
  }
  EXPECT_EQ(second.findings_size(), first.findings_size() - 1);
  for (const v1::Finding& f : second.findings()) EXPECT_NE(f.fingerprint(), fp);
  {
    v1::GetFindingRequest req;
    req.set_name(target.name());
    v1::Finding now;
    grpc::ClientContext ctx;
    WithToken(&ctx, "sub-token");
    ASSERT_TRUE(stub->GetFinding(&ctx, req, &now).ok());
    EXPECT_EQ(now.status(), v1::FIXED);
  }

  // Kept by the store: after a restart the suppression still applies.
  daemon.Stop(SIGTERM);
  Daemon restarted(dir_, {"--auth_tokens=" + tokens_});
  ASSERT_TRUE(restarted.WaitReady()) << restarted.log();
  EXPECT_THAT(restarted.log(), HasSubstr("event=admin_suppressions_loaded count=1"));
  auto stub2 = v1::AuditService::NewStub(
      grpc::CreateChannel(restarted.address(), grpc::InsecureChannelCredentials()));
  auto inspect = [&]() {
    v1::InspectDocumentRequest req;
    req.set_content(document_);
    req.set_file_name("C05768760.txt");
    v1::InspectDocumentResponse r;
    grpc::ClientContext ctx;
    WithToken(&ctx, "sub-token");
    EXPECT_TRUE(stub2->InspectDocument(&ctx, req, &r).ok());
    std::vector<std::string> fps;
    for (const v1::Finding& f : r.findings()) fps.push_back(f.fingerprint());
    return fps;
  };
  EXPECT_THAT(inspect(), ::testing::Not(::testing::Contains(fp)));
  CommandResult removed = Cli(restarted.address(), {"admin", "unsuppress", fp}, admin);
  ASSERT_EQ(removed.exit_code, 0) << removed.err;
  EXPECT_THAT(removed.out, HasSubstr("no longer suppressed " + fp));
  EXPECT_THAT(inspect(), ::testing::Contains(fp));
  CommandResult gone = Cli(restarted.address(), {"admin", "unsuppress", fp}, admin);
  EXPECT_EQ(gone.exit_code, 2);
  EXPECT_THAT(gone.err, HasSubstr("is not suppressed"));
  CommandResult empty = Cli(restarted.address(), {"admin", "suppressions"}, admin);
  EXPECT_THAT(empty.out, HasSubstr("no admin suppressions"));
  EXPECT_THAT(restarted.log(), HasSubstr("event=suppression_removed fingerprint=" + fp +
                                         " by=\"Alex Admin\""));
}

}  // namespace
}  // namespace ra::testing
