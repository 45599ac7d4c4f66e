// The release-level check end to end: the real daemon and CLI on a copy of
// the committed sample release, with a manifest that lists one document
// that is not there and omits one that was submitted. The findings are
// stored, listed and reported like any other, keep their review status
// across re-runs, and the one about the missing document becomes `fixed`
// once it is submitted and the check runs again.
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

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
using ::testing::Not;
using ::testing::SizeIs;

const char kCase[] = "F-2014-20439";
// Submitted, then left out of the manifest.
const char kOmitted[] = "C05758510";
const char kOmittedFile[] = "HRCEmail_JuneWeb/C05758510.txt";
// Listed in the manifest, its file kept away until the last step.
const char kMissing[] = "C05793032";
const char kMissingFile[] = "HRCEmail_OctWeb/C05793032.txt";

class ReleaseCheckTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = MakeTempDir();
    daemon_ = std::make_unique<Daemon>(dir_);
    ASSERT_TRUE(daemon_->WaitReady()) << daemon_->log();
    stub_ = v1::AuditService::NewStub(
        grpc::CreateChannel(daemon_->address(), grpc::InsecureChannelCredentials()));
    release_ = dir_ + "/release";
    fs::copy(FixturePath("sample-release"), release_, fs::copy_options::recursive);
    // The manifest without the omitted document's row.
    std::istringstream in(ReadFileOrDie(release_ + "/manifest.csv"));
    std::ofstream out(release_ + "/partial.csv");
    for (std::string line; std::getline(in, line);) {
      if (line.find(kOmitted) == std::string::npos) out << line << "\n";
    }
  }

  CommandResult Cli(std::vector<std::string> args) {
    return RunCli(*daemon_, std::move(args));
  }

  std::vector<v1::Finding> ReleaseFindings() {
    std::vector<v1::Finding> out;
    for (const char* rule :
         {"release.document-not-in-manifest", "release.document-not-submitted"}) {
      v1::ListFindingsRequest request;
      request.set_parent(std::string("cases/") + kCase);
      request.set_rule(rule);
      v1::ListFindingsResponse response;
      grpc::ClientContext ctx;
      grpc::Status s = stub_->ListFindings(&ctx, request, &response);
      EXPECT_TRUE(s.ok()) << s.error_message();
      out.insert(out.end(), response.findings().begin(), response.findings().end());
    }
    return out;
  }

  std::string dir_, release_;
  std::unique_ptr<Daemon> daemon_;
  std::unique_ptr<v1::AuditService::Stub> stub_;
};

// A manifest read from a pipe is read like a file; a folder given as the
// manifest is an error naming it, and the client does not crash.
TEST_F(ReleaseCheckTest, ManifestFromAPipeAndAFolderAsManifest) {
  const std::string june = release_ + "/HRCEmail_JuneWeb";
  CommandResult piped = RunCommand(
      {"/bin/bash", "-c",
       CliBinary() + " audit '" + june + "' --manifest <(cat '" + release_ + "/manifest.csv')"},
      {"REDACTION_AUDIT_SERVER=" + daemon_->address()});
  EXPECT_THAT(piped.out, HasSubstr("(0 already stored), 0 rejected")) << piped.err;
  EXPECT_THAT(piped.out, HasSubstr("release check of cases/F-2014-20439")) << piped.err;
  CommandResult folder = Cli({"audit", june, "--manifest", release_});
  EXPECT_EQ(folder.exit_code, 2) << folder.err;
  EXPECT_THAT(folder.err, HasSubstr(release_ + ": is a folder, not a file"));
}

TEST_F(ReleaseCheckTest, ListedNotSubmittedAndSubmittedNotListed) {
  // The omitted document is submitted on its own, without a manifest.
  CommandResult single = Cli({"audit", release_ + "/" + kOmittedFile, "--case", kCase,
                              "--release", "HRCEmail_JuneWeb"});
  ASSERT_THAT(single.out, HasSubstr("audited 1 documents")) << single.err;
  EXPECT_THAT(single.out, Not(HasSubstr("release check")));  // no manifest
  fs::rename(release_ + "/" + kMissingFile, dir_ + "/held.txt");

  CommandResult audit = Cli({"audit", release_, "--manifest", release_ + "/partial.csv"});
  EXPECT_EQ(audit.exit_code, 1) << audit.err;
  EXPECT_THAT(audit.out, HasSubstr("audited 58 documents (0 already stored), 1 rejected"));
  EXPECT_THAT(audit.out,
              HasSubstr("release check of cases/F-2014-20439: 59 listed, 2 release-level "
                        "findings (2 new, 0 fixed)"));
  EXPECT_THAT(audit.out, HasSubstr("release.document-not-submitted"));
  EXPECT_THAT(audit.err, HasSubstr(std::string("the manifest lists ") + kMissing));

  std::vector<v1::Finding> found = ReleaseFindings();
  ASSERT_THAT(found, SizeIs(2));
  const v1::Finding& not_listed = found[0];
  const v1::Finding& not_submitted = found[1];
  EXPECT_EQ(not_listed.name().rfind(std::string("cases/") + kCase + "/documents/" +
                                        kOmitted + "/findings/", 0),
            0u)
      << not_listed.name();
  EXPECT_EQ(not_listed.severity(), v1::WARNING);
  EXPECT_FALSE(not_listed.version_sha256().empty());
  EXPECT_THAT(not_submitted.name(), HasSubstr(std::string("/documents/") + kMissing + "/"));
  EXPECT_EQ(not_submitted.severity(), v1::ERROR);
  EXPECT_EQ(not_submitted.status(), v1::OPEN);
  EXPECT_TRUE(not_submitted.version_sha256().empty());
  EXPECT_EQ(not_submitted.release(), "HRCEmail_OctWeb");
  EXPECT_EQ(not_submitted.location().line(), 0);
  EXPECT_EQ(not_submitted.evidence(), kMissingFile);

  // Shown by `findings` and `report` in every format.
  CommandResult table = Cli({"findings", "--case", kCase, "--rule",
                             "release.document-not-submitted"});
  EXPECT_EQ(table.exit_code, 1) << table.err;  // an open error-level finding
  EXPECT_THAT(table.out, HasSubstr(kMissing));
  CommandResult json = Cli({"findings", "--case", kCase, "--rule",
                            "release.document-not-in-manifest", "--format", "json"});
  EXPECT_THAT(json.out, HasSubstr(not_listed.fingerprint()));
  CommandResult report = Cli({"report", "--case", kCase});
  EXPECT_THAT(report.out, HasSubstr("release.document-not-submitted"));
  EXPECT_THAT(report.out, HasSubstr("release.document-not-in-manifest"));
  for (const char* format : {"json", "csv", "sarif", "junit", "markdown", "html"}) {
    SCOPED_TRACE(format);
    CommandResult r = Cli({"report", "--case", kCase, "--format", format});
    EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.err;
    EXPECT_THAT(r.out, HasSubstr("release.document-not-submitted"));
    // The JSON report is the case summary (counts by rule); the others
    // list findings with their document.
    if (std::string(format) != "json") {
      EXPECT_THAT(r.out, HasSubstr(kMissing));
    }
  }

  // A review decision holds across a re-run of the same gap.
  CommandResult confirm = Cli({"review", not_listed.name(), "--status", "confirmed",
                               "--reviewer", "alice"});
  ASSERT_EQ(confirm.exit_code, 0) << confirm.err;
  CommandResult again = Cli({"audit", release_, "--manifest", release_ + "/partial.csv"});
  EXPECT_THAT(again.out, HasSubstr("2 release-level findings (0 new, 0 fixed)"));
  std::vector<v1::Finding> still = ReleaseFindings();
  ASSERT_THAT(still, SizeIs(2));
  EXPECT_EQ(still[0].name(), not_listed.name());
  EXPECT_EQ(still[0].status(), v1::CONFIRMED);
  EXPECT_EQ(still[0].fingerprint(), not_listed.fingerprint());
  EXPECT_EQ(still[1].name(), not_submitted.name());

  // The CI gate fails on the incomplete release and names the gap.
  CommandResult gate = Cli({"check", release_, "--manifest", release_ + "/partial.csv",
                            "--junit", dir_ + "/check.xml"});
  EXPECT_EQ(gate.exit_code, 1) << gate.err;
  EXPECT_THAT(gate.out, HasSubstr("release.document-not-submitted"));
  EXPECT_THAT(gate.out, HasSubstr("FAIL"));
  EXPECT_THAT(ReadFileOrDie(dir_ + "/check.xml"), HasSubstr(kMissing));

  // The missing document is submitted: the check fixes its finding.
  fs::rename(dir_ + "/held.txt", release_ + "/" + kMissingFile);
  CommandResult fixed = Cli({"audit", release_, "--manifest", release_ + "/partial.csv"});
  EXPECT_THAT(fixed.out, HasSubstr("audited 59 documents (58 already stored), 1 rejected"));
  EXPECT_THAT(fixed.out, HasSubstr("1 release-level findings (0 new, 1 fixed)"));
  std::vector<v1::Finding> after = ReleaseFindings();
  ASSERT_THAT(after, SizeIs(2));
  EXPECT_EQ(after[1].name(), not_submitted.name());
  EXPECT_EQ(after[1].status(), v1::FIXED);
  CommandResult history = Cli({"history", not_submitted.name()});
  EXPECT_THAT(history.out, HasSubstr("fixed"));
  EXPECT_THAT(history.out, HasSubstr("not produced by a release check"));
  EXPECT_EQ(after[0].status(), v1::CONFIRMED);

  // The full manifest: every listed document submitted, none unlisted.
  CommandResult full = Cli({"audit", release_, "--manifest", release_ + "/manifest.csv"});
  EXPECT_THAT(full.out, HasSubstr("60 listed, 0 release-level findings (0 new, 1 fixed)"));
  // Each check is logged with its counts.
  EXPECT_THAT(daemon_->log(),
              HasSubstr("event=release_check case=F-2014-20439 listed=60 checked=60 "
                        "findings=0 new=0 fixed=1 ms="));
}

TEST_F(ReleaseCheckTest, BadRequestsNameTheRowAndStoreNothing) {
  v1::CheckReleaseRequest request;
  request.set_name(std::string("cases/") + kCase);
  request.add_documents()->set_doc_number("C1");
  v1::ListedDocument* bad = request.add_documents();
  bad->set_release("R");
  bad->set_manifest_line(3);
  v1::CheckReleaseResponse response;
  grpc::ClientContext ctx;
  grpc::Status s = stub_->CheckRelease(&ctx, request, &response);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("manifest row at line 3 has no doc number"));
  request.set_name("F-2014-20439");  // not a resource name
  grpc::ClientContext ctx2;
  EXPECT_EQ(stub_->CheckRelease(&ctx2, request, &response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ReleaseFindings(), SizeIs(0));
  // The daemon still serves, and a good request goes through.
  request.set_name(std::string("cases/") + kCase);
  request.mutable_documents()->RemoveLast();
  grpc::ClientContext ctx3;
  ASSERT_TRUE(stub_->CheckRelease(&ctx3, request, &response).ok());
  EXPECT_EQ(response.listed(), 1);
  EXPECT_EQ(response.findings_total(), 1);
  EXPECT_EQ(response.findings(0).rule(), "release.document-not-submitted");
}

}  // namespace
}  // namespace ra::testing
