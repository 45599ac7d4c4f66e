// Durability: the daemon killed with SIGKILL in the middle of a batch, then
// restarted. The database passes PRAGMA integrity_check, every document the
// client saw acknowledged is stored with all its findings, no version is
// half-stored, and `audit --resume` skips exactly what is stored.
#include <signal.h>

#include <filesystem>
#include <map>
#include <memory>
#include <set>

#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "integration/process.h"
#include "redaction_audit/v1/audit_service.grpc.pb.h"
#include "testing/testing.h"

namespace ra::testing {
namespace {

namespace v1 = ::redaction_audit::v1;
namespace fs = std::filesystem;
using ::testing::HasSubstr;

const char kCase[] = "F-2014-20439";

std::string Sql(const std::string& db, const std::string& query) {
  CommandResult r = RunCommand({"/usr/bin/sqlite3", db, query});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  while (!r.out.empty() && r.out.back() == '\n') r.out.pop_back();
  return r.out;
}

TEST(DurabilityTest, KillNineMidBatchLosesNothingAcknowledged) {
  const std::string dir = MakeTempDir();
  // The sample release as plain files named by doc number.
  const std::string docs = dir + "/docs";
  fs::create_directories(docs);
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(FixturePath("sample-release"))) {
    if (e.path().extension() == ".txt") {
      fs::copy_file(e.path(), docs + "/" + e.path().filename().string());
      files.push_back(docs + "/" + e.path().filename().string());
    }
  }
  std::sort(files.begin(), files.end());
  ASSERT_GE(files.size(), 40u);

  std::map<std::string, int> acked;  // doc number -> findings acknowledged
  size_t sent = 0;
  {
    Daemon daemon(dir, {"--stream_workers=2"});
    ASSERT_TRUE(daemon.WaitReady()) << daemon.log();
    auto stub = v1::AuditService::NewStub(
        grpc::CreateChannel(daemon.address(), grpc::InsecureChannelCredentials()));
    grpc::ClientContext ctx;
    auto stream = stub->AuditDocuments(&ctx);
    auto send = [&](size_t i) {
      v1::AuditDocumentRequest request;
      request.mutable_metadata()->set_case_number(kCase);
      request.mutable_metadata()->set_doc_number(files[i].stem().string());
      request.set_file_name(files[i].string());
      request.set_content(ReadFileOrDie(files[i].string()));
      request.set_index(static_cast<int64_t>(i));
      ASSERT_TRUE(stream->Write(request));
      ++sent;
    };
    auto read_ack = [&] {
      v1::AuditDocumentsResponse r;
      if (!stream->Read(&r)) return false;
      EXPECT_TRUE(r.has_audited()) << r.error().message();
      acked[files[r.index()].stem().string()] = r.audited().findings_size();
      return true;
    };
    for (size_t i = 0; i < 10; ++i) send(i);
    for (int i = 0; i < 10; ++i) ASSERT_TRUE(read_ack());
    // The rest goes out; the daemon dies while working on it.
    for (size_t i = 10; i < files.size(); ++i) send(i);
    if (read_ack()) read_ack();
    EXPECT_EQ(daemon.Stop(SIGKILL), 128 + SIGKILL);
    ctx.TryCancel();
    while (read_ack()) {
    }
    stream->Finish();
  }
  ASSERT_GE(acked.size(), 10u);

  const std::string db = dir + "/audit.sqlite";
  EXPECT_EQ(Sql(db, "PRAGMA integrity_check"), "ok");
  // No version without its audit run, no run whose findings are missing.
  EXPECT_EQ(Sql(db, "SELECT COUNT(*) FROM document_versions v WHERE NOT EXISTS "
                    "(SELECT 1 FROM audit_runs r WHERE r.version_id = v.id)"),
            "0");
  EXPECT_EQ(Sql(db, "SELECT COUNT(*) FROM audit_runs r WHERE r.finding_count != "
                    "(SELECT COUNT(*) FROM findings f WHERE f.version_id = r.version_id)"),
            "0");

  Daemon daemon(dir);
  ASSERT_TRUE(daemon.WaitReady()) << daemon.log();
  auto stub = v1::AuditService::NewStub(
      grpc::CreateChannel(daemon.address(), grpc::InsecureChannelCredentials()));
  v1::ListStoredVersionsRequest list;
  list.set_parent(std::string("cases/") + kCase);
  v1::ListStoredVersionsResponse versions;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(stub->ListStoredVersions(&ctx, list, &versions).ok());
  }
  std::set<std::string> stored;
  for (const auto& v : versions.versions()) {
    stored.insert(v.document().substr(v.document().rfind('/') + 1));
  }
  EXPECT_LE(stored.size(), sent);
  for (const auto& [doc, findings] : acked) {
    EXPECT_TRUE(stored.count(doc)) << doc << " was acknowledged but is not stored";
    v1::ListFindingsRequest request;
    request.set_parent(std::string("cases/") + kCase);
    request.set_document(doc);
    request.set_page_size(1000);
    v1::ListFindingsResponse response;
    grpc::ClientContext ctx;
    ASSERT_TRUE(stub->ListFindings(&ctx, request, &response).ok());
    EXPECT_EQ(response.findings_size(), findings) << doc;
  }

  // --resume sends only what is not stored yet.
  CommandResult resumed =
      RunCommand({CliBinary(), "audit", docs, "--case", kCase, "--resume"},
                 {"REDACTION_AUDIT_SERVER=" + daemon.address()});
  EXPECT_THAT(resumed.out, HasSubstr("audited " + std::to_string(files.size() - stored.size()) +
                                     " documents (0 already stored), 0 rejected"))
      << resumed.err;
  EXPECT_THAT(resumed.out, HasSubstr("skipped " + std::to_string(stored.size()) +
                                     " documents already stored"));
  {
    grpc::ClientContext ctx;
    versions.Clear();
    ASSERT_TRUE(stub->ListStoredVersions(&ctx, list, &versions).ok());
    EXPECT_EQ(static_cast<size_t>(versions.versions_size()), files.size());
  }
  // A second resume has nothing left to send.
  CommandResult again =
      RunCommand({CliBinary(), "audit", docs, "--case", kCase, "--resume"},
                 {"REDACTION_AUDIT_SERVER=" + daemon.address()});
  EXPECT_THAT(again.out, HasSubstr("audited 0 documents"));
  EXPECT_THAT(again.out, HasSubstr("skipped " + std::to_string(files.size())));
}

}  // namespace
}  // namespace ra::testing
