// Batch streams: AuditDocumentGroups (several documents a message) against
// AuditDocuments (one a message) on the real daemon, the group limit, and
// the CLI's fallback to AuditDocuments on a daemon that has no groups.
#include <algorithm>
#include <atomic>
#include <filesystem>
#include <map>
#include <memory>
#include <thread>
#include <vector>

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

// The sample release's documents, sorted by path.
std::vector<std::string> SampleFiles() {
  std::vector<std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(FixturePath("sample-release"))) {
    if (e.path().extension() == ".txt") files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// The batch: the sample release with two bad documents among them (an empty
// one, one whose doc number would break resource names).
std::vector<v1::AuditDocumentRequest> Batch() {
  std::vector<v1::AuditDocumentRequest> out;
  for (const std::string& file : SampleFiles()) {
    v1::AuditDocumentRequest& r = out.emplace_back();
    r.mutable_metadata()->set_case_number(kCase);
    r.mutable_metadata()->set_doc_number(fs::path(file).stem().string());
    r.set_file_name(file);
    r.set_content(ReadFileOrDie(file));
    if (out.size() == 10) {
      r.set_content("");
      r.set_file_name("empty/C00000010.txt");
    } else if (out.size() == 11) {
      r.mutable_metadata()->set_doc_number("C0/0000011");
      r.set_file_name("slash/C00000011.txt");
    }
  }
  for (size_t i = 0; i < out.size(); ++i) out[i].set_index(static_cast<int64_t>(i));
  return out;
}

std::unique_ptr<v1::AuditService::Stub> Connect(const Daemon& daemon) {
  return v1::AuditService::NewStub(
      grpc::CreateChannel(daemon.address(), grpc::InsecureChannelCredentials()));
}

// What must not depend on how the batch was sent: everything but the
// findings' names (store ids) and etags.
std::string Comparable(v1::AuditDocumentsResponse r) {
  if (r.has_audited()) {
    for (v1::Finding& f : *r.mutable_audited()->mutable_findings()) {
      f.clear_name();
      f.clear_etag();
    }
  }
  return r.DebugString();
}

TEST(BatchStreamTest, GroupsGiveWhatOneDocumentAMessageGives) {
  const std::vector<v1::AuditDocumentRequest> batch = Batch();
  ASSERT_GE(batch.size(), 40u);

  // One worker each, so that both daemons audit in the same order (the
  // cross-document findings of a document depend on what came before it).
  Daemon single_daemon(MakeTempDir(), {"--stream_workers=1"});
  ASSERT_TRUE(single_daemon.WaitReady()) << single_daemon.log();
  std::map<int64_t, v1::AuditDocumentsResponse> single;
  {
    auto stub = Connect(single_daemon);
    grpc::ClientContext ctx;
    auto stream = stub->AuditDocuments(&ctx);
    for (const v1::AuditDocumentRequest& r : batch) ASSERT_TRUE(stream->Write(r));
    stream->WritesDone();
    v1::AuditDocumentsResponse r;
    while (stream->Read(&r)) EXPECT_TRUE(single.emplace(r.index(), r).second) << r.index();
    grpc::Status s = stream->Finish();
    ASSERT_TRUE(s.ok()) << s.error_message();
  }

  Daemon group_daemon(MakeTempDir(), {"--stream_workers=1"});
  ASSERT_TRUE(group_daemon.WaitReady()) << group_daemon.log();
  std::map<int64_t, v1::AuditDocumentsResponse> grouped;
  {
    auto stub = Connect(group_daemon);
    grpc::ClientContext ctx;
    auto stream = stub->AuditDocumentGroups(&ctx);
    // Groups of 7, the bad documents inside the second one; an empty group
    // is allowed and changes nothing.
    for (size_t i = 0; i < batch.size(); i += 7) {
      v1::AuditDocumentGroup group;
      for (size_t j = i; j < std::min(batch.size(), i + 7); ++j) {
        *group.add_documents() = batch[j];
      }
      ASSERT_TRUE(stream->Write(group));
    }
    ASSERT_TRUE(stream->Write(v1::AuditDocumentGroup()));
    stream->WritesDone();
    v1::AuditDocumentGroupResults results;
    while (stream->Read(&results)) {
      EXPECT_GT(results.results_size(), 0);
      for (const v1::AuditDocumentsResponse& r : results.results()) {
        EXPECT_TRUE(grouped.emplace(r.index(), r).second) << r.index();
      }
    }
    grpc::Status s = stream->Finish();
    ASSERT_TRUE(s.ok()) << s.error_message();
  }

  ASSERT_EQ(single.size(), batch.size());
  ASSERT_EQ(grouped.size(), batch.size());
  for (const auto& [index, r] : single) {
    EXPECT_EQ(Comparable(grouped[index]), Comparable(r)) << "document " << index;
  }
  // The bad documents got errors naming them; the others were audited.
  EXPECT_THAT(grouped[9].error().message(), HasSubstr("empty/C00000010.txt: empty document"));
  EXPECT_EQ(grouped[10].error().code(), static_cast<int>(grpc::StatusCode::INVALID_ARGUMENT));
  EXPECT_THAT(grouped[10].error().message(), HasSubstr("slash/C00000011.txt"));
  EXPECT_TRUE(grouped[0].has_audited());
  EXPECT_EQ(grouped[0].file_name(), batch[0].file_name());
  int with_findings = 0;
  for (const auto& [index, r] : grouped) with_findings += r.audited().findings_size() > 0;
  EXPECT_GT(with_findings, 10);

  // Both stored the same documents.
  for (const Daemon* d : {&single_daemon, &group_daemon}) {
    v1::GetCaseReportRequest request;
    request.set_name(std::string("cases/") + kCase);
    v1::CaseReport report;
    grpc::ClientContext ctx;
    ASSERT_TRUE(Connect(*d)->GetCaseReport(&ctx, request, &report).ok());
    EXPECT_EQ(report.documents(), static_cast<int64_t>(batch.size()) - 2);
  }
}

TEST(BatchStreamTest, BriefResultsKeepTheCountsAndLeaveTheRestOut) {
  const std::vector<v1::AuditDocumentRequest> batch = Batch();
  std::map<int64_t, v1::AuditDocumentsResponse> results[2];  // full, brief
  for (int brief = 0; brief < 2; ++brief) {
    Daemon daemon(MakeTempDir(), {"--stream_workers=1"});
    ASSERT_TRUE(daemon.WaitReady()) << daemon.log();
    auto stub = Connect(daemon);
    grpc::ClientContext ctx;
    auto stream = stub->AuditDocumentGroups(&ctx);
    v1::AuditDocumentGroup group;
    group.set_brief_results(brief == 1);
    for (const v1::AuditDocumentRequest& r : batch) *group.add_documents() = r;
    ASSERT_TRUE(stream->Write(group));
    stream->WritesDone();
    v1::AuditDocumentGroupResults got;
    while (stream->Read(&got)) {
      for (const v1::AuditDocumentsResponse& r : got.results()) results[brief][r.index()] = r;
    }
    grpc::Status s = stream->Finish();
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  ASSERT_EQ(results[0].size(), batch.size());
  ASSERT_EQ(results[1].size(), batch.size());
  int marks = 0;
  for (const auto& [index, full] : results[0]) {
    const v1::AuditDocumentsResponse& brief = results[1][index];
    EXPECT_EQ(brief.file_name(), full.file_name());
    EXPECT_EQ(brief.error().message(), full.error().message()) << index;
    const v1::AuditDocumentResponse& f = full.audited();
    const v1::AuditDocumentResponse& b = brief.audited();
    EXPECT_EQ(b.document(), f.document());
    EXPECT_EQ(b.version_sha256(), f.version_sha256());
    EXPECT_EQ(b.parsed().disposition(), f.parsed().disposition());
    EXPECT_EQ(b.parsed().marks_size(), 0);
    marks += f.parsed().marks_size();
    ASSERT_EQ(b.findings_size(), f.findings_size()) << index;
    for (int i = 0; i < f.findings_size(); ++i) {
      EXPECT_EQ(b.findings(i).rule(), f.findings(i).rule());
      EXPECT_EQ(b.findings(i).severity(), f.findings(i).severity());
      EXPECT_EQ(b.findings(i).status(), f.findings(i).status());
      EXPECT_EQ(b.findings(i).message(), "");
      EXPECT_NE(f.findings(i).message(), "");
    }
  }
  EXPECT_GT(marks, 0);
}

TEST(BatchStreamTest, AResultOverTheSendLimitIsAnErrorAndTheOthersArrive) {
  // Send limit: 4 MiB (the least the daemon allows). A 2.2 MB document of
  // mark lines has a full result of several times that (each mark listed).
  Daemon daemon(MakeTempDir(), {"--stream_workers=1", "--max_document_bytes=3000000"});
  ASSERT_TRUE(daemon.WaitReady()) << daemon.log();
  std::vector<v1::AuditDocumentRequest> batch = Batch();
  batch.resize(3);
  std::string marks = batch[1].content();
  while (marks.size() < 2'200'000) marks += "B6 B5 B6 B1 B6\n";
  batch[1].set_content(marks);
  batch[1].set_file_name("big/C00000001.txt");
  auto stub = Connect(daemon);
  grpc::ClientContext ctx;
  auto stream = stub->AuditDocumentGroups(&ctx);
  v1::AuditDocumentGroup group;
  for (const v1::AuditDocumentRequest& r : batch) *group.add_documents() = r;
  ASSERT_TRUE(stream->Write(group));
  stream->WritesDone();
  std::map<int64_t, v1::AuditDocumentsResponse> got;
  v1::AuditDocumentGroupResults results;
  while (stream->Read(&results)) {
    for (const v1::AuditDocumentsResponse& r : results.results()) got[r.index()] = r;
  }
  grpc::Status s = stream->Finish();
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(got.size(), 3u);
  EXPECT_TRUE(got[0].has_audited());
  EXPECT_TRUE(got[2].has_audited());
  EXPECT_EQ(got[1].error().code(), static_cast<int>(grpc::StatusCode::RESOURCE_EXHAUSTED));
  EXPECT_THAT(got[1].error().message(),
              HasSubstr("big/C00000001.txt: stored, but its result ("));
  EXPECT_THAT(got[1].error().message(),
              HasSubstr(std::string("redaction-audit findings --case ") + kCase +
                        " --document " + batch[1].metadata().doc_number()));
  // All three are stored.
  v1::GetCaseReportRequest request;
  request.set_name(std::string("cases/") + kCase);
  v1::CaseReport report;
  grpc::ClientContext report_ctx;
  ASSERT_TRUE(stub->GetCaseReport(&report_ctx, request, &report).ok());
  EXPECT_EQ(report.documents(), 3);
}

TEST(BatchStreamTest, AGroupOverTheLimitEndsTheStreamAndWhatCameBeforeIsStored) {
  Daemon daemon(MakeTempDir());
  ASSERT_TRUE(daemon.WaitReady()) << daemon.log();
  auto stub = Connect(daemon);
  const std::vector<v1::AuditDocumentRequest> batch = Batch();
  grpc::ClientContext ctx;
  auto stream = stub->AuditDocumentGroups(&ctx);
  v1::AuditDocumentGroup first;
  *first.add_documents() = batch[0];
  *first.add_documents() = batch[1];
  ASSERT_TRUE(stream->Write(first));
  size_t answered = 0;
  v1::AuditDocumentGroupResults results;
  while (answered < 2 && stream->Read(&results)) answered += results.results_size();
  ASSERT_EQ(answered, 2u);

  v1::AuditDocumentGroup too_many;
  for (int i = 0; i < 1025; ++i) {
    v1::AuditDocumentRequest* r = too_many.add_documents();
    r->mutable_metadata()->set_case_number(kCase);
    r->mutable_metadata()->set_doc_number("X" + std::to_string(i));
    r->set_content("RELEASE IN FULL\nshort\n");
    r->set_index(2 + i);
    r->set_file_name("many/X" + std::to_string(i) + ".txt");
  }
  stream->Write(too_many);
  stream->WritesDone();
  while (stream->Read(&results)) answered += results.results_size();
  grpc::Status s = stream->Finish();
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(),
              HasSubstr("message 2 of the batch (documents from index 2, many/X0.txt) "
                        "holds 1025 documents, more than 1024"));
  EXPECT_EQ(answered, 2u);

  v1::GetCaseReportRequest request;
  request.set_name(std::string("cases/") + kCase);
  v1::CaseReport report;
  grpc::ClientContext report_ctx;
  ASSERT_TRUE(stub->GetCaseReport(&report_ctx, request, &report).ok());
  EXPECT_EQ(report.documents(), 2);
}

// A daemon from before AuditDocumentGroups: serves AuditDocuments only,
// forwarding each stream to a real daemon; every other rpc answers
// UNIMPLEMENTED, as the generated base class does.
class OneDocumentAMessageProxy final : public v1::AuditService::Service {
 public:
  explicit OneDocumentAMessageProxy(const Daemon& upstream) : stub_(Connect(upstream)) {}

  grpc::Status AuditDocuments(
      grpc::ServerContext*,
      grpc::ServerReaderWriter<v1::AuditDocumentsResponse, v1::AuditDocumentRequest>*
          stream) override {
    grpc::ClientContext ctx;
    auto up = stub_->AuditDocuments(&ctx);
    std::thread back([&] {
      v1::AuditDocumentsResponse r;
      while (up->Read(&r)) stream->Write(r);
    });
    v1::AuditDocumentRequest request;
    while (stream->Read(&request)) {
      ++documents;
      up->Write(request);
    }
    up->WritesDone();
    back.join();
    return up->Finish();
  }

  std::atomic<int> documents{0};

 private:
  std::unique_ptr<v1::AuditService::Stub> stub_;
};

TEST(BatchStreamTest, CliFallsBackToOneDocumentAMessageOnAnOlderDaemon) {
  const std::string dir = MakeTempDir();
  Daemon daemon(dir);
  ASSERT_TRUE(daemon.WaitReady()) << daemon.log();
  OneDocumentAMessageProxy proxy(daemon);
  grpc::ServerBuilder builder;
  builder.AddListeningPort("unix:" + dir + "/old.sock", grpc::InsecureServerCredentials());
  builder.RegisterService(&proxy);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  ASSERT_NE(server, nullptr);

  const std::string release = FixturePath("sample-release");
  CommandResult old = RunCommand({CliBinary(), "audit", release, "--case", kCase},
                                 {"REDACTION_AUDIT_SERVER=unix:" + dir + "/old.sock"});
  EXPECT_EQ(old.exit_code, 1) << old.err;  // errors among the findings
  EXPECT_THAT(old.out, HasSubstr("audited 60 documents (0 already stored), 0 rejected"));
  EXPECT_EQ(proxy.documents.load(), 60);
  // The same batch in groups, straight to the daemon: the same summary.
  CommandResult grouped = RunCommand({CliBinary(), "audit", release, "--case", kCase},
                                     {"REDACTION_AUDIT_SERVER=" + daemon.address()});
  EXPECT_EQ(grouped.exit_code, 1) << grouped.err;
  EXPECT_THAT(grouped.out, HasSubstr("audited 60 documents (60 already stored), 0 rejected"));
  const auto after_first_line = [](const std::string& s) { return s.substr(s.find('\n')); };
  EXPECT_EQ(after_first_line(grouped.out), after_first_line(old.out));
  EXPECT_EQ(proxy.documents.load(), 60);
  server->Shutdown();
}

}  // namespace
}  // namespace ra::testing
