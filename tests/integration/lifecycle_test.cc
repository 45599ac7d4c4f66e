// End to end through the real daemon and CLI: the review lifecycle across
// document versions, history, and `check` as a CI gate with its exit codes.
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
#include "util/sha256.h"

namespace ra::testing {
namespace {

namespace v1 = ::redaction_audit::v1;
namespace fs = std::filesystem;
using ::testing::HasSubstr;

const char kCase[] = "F-2014-20439";
const char kDocument[] = "sample-release/HRCEmail_JuneWeb/C05761178.txt";

class LifecycleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = MakeTempDir();
    daemon_ = std::make_unique<Daemon>(dir_);
    ASSERT_TRUE(daemon_->WaitReady()) << daemon_->log();
    stub_ = v1::AuditService::NewStub(
        grpc::CreateChannel(daemon_->address(), grpc::InsecureChannelCredentials()));
    docs_ = MakeTempDir();
    doc_path_ = docs_ + "/C05761178.txt";
    fs::copy_file(FixturePath(kDocument), doc_path_);
  }

  CommandResult Cli(std::vector<std::string> args, const std::string& token = "") {
    args.insert(args.begin(), CliBinary());
    std::vector<std::string> env = {"REDACTION_AUDIT_SERVER=" + daemon_->address()};
    if (!token.empty()) env.push_back("REDACTION_AUDIT_TOKEN=" + token);
    return RunCommand(args, env);
  }

  // Restarts on a fresh database with --auth_tokens: "sub-token" is the
  // submitter Sam Submitter, "rev-token" the reviewer Rita Reviewer; the
  // test's own API calls use the reviewer's token.
  void RestartWithTokens() {
    daemon_.reset();
    const std::string dir = MakeTempDir();
    const std::string tokens = dir + "/tokens";
    std::ofstream(tokens) << Sha256Hex("sub-token") << " submitter Sam Submitter\n"
                          << Sha256Hex("rev-token") << " reviewer Rita Reviewer\n";
    daemon_ = std::make_unique<Daemon>(dir, std::vector<std::string>{"--auth_tokens=" + tokens});
    ASSERT_TRUE(daemon_->WaitReady()) << daemon_->log();
    stub_ = v1::AuditService::NewStub(
        grpc::CreateChannel(daemon_->address(), grpc::InsecureChannelCredentials()));
    api_token_ = "rev-token";
  }

  void Authorize(grpc::ClientContext* ctx) const {
    if (!api_token_.empty()) ctx->AddMetadata("authorization", "Bearer " + api_token_);
  }

  std::vector<v1::Finding> Findings() {
    v1::ListFindingsRequest request;
    request.set_parent(std::string("cases/") + kCase);
    request.set_page_size(1000);
    v1::ListFindingsResponse response;
    grpc::ClientContext ctx;
    Authorize(&ctx);
    EXPECT_TRUE(stub_->ListFindings(&ctx, request, &response).ok());
    return {response.findings().begin(), response.findings().end()};
  }

  v1::ListFindingReviewsResponse History(const std::string& name) {
    v1::ListFindingReviewsRequest request;
    request.set_name(name);
    v1::ListFindingReviewsResponse response;
    grpc::ClientContext ctx;
    Authorize(&ctx);
    EXPECT_TRUE(stub_->ListFindingReviews(&ctx, request, &response).ok());
    return response;
  }

  v1::Finding ByName(const std::string& name) {
    for (const v1::Finding& f : Findings()) {
      if (f.name() == name) return f;
    }
    ADD_FAILURE() << name << " not listed";
    return {};
  }

  static std::string IdOf(const v1::Finding& f) {
    return f.name().substr(f.name().rfind('/') + 1);
  }

  std::string dir_, docs_, doc_path_, api_token_;
  std::unique_ptr<Daemon> daemon_;
  std::unique_ptr<v1::AuditService::Stub> stub_;
};

TEST_F(LifecycleTest, DecisionsFollowTheFingerprintAcrossVersions) {
  CommandResult first = Cli({"audit", doc_path_, "--case", kCase});
  ASSERT_EQ(first.exit_code, 1) << first.out << first.err;  // an error
  std::vector<v1::Finding> v1_findings = Findings();
  // Two page headers print the case number wrong: "F!2014-20439" on page 1
  // (an error) and "-2014-20439" on page 2 (an OCR variant, info). Version 2
  // corrects the first.
  const v1::Finding* fixable = nullptr;
  const v1::Finding* other = nullptr;
  for (const v1::Finding& f : v1_findings) {
    if (f.evidence() == "F!2014-20439") fixable = &f;
    if (f.evidence() == "-2014-20439") other = &f;
  }
  ASSERT_NE(fixable, nullptr);
  ASSERT_NE(other, nullptr);

  // Review: confirm the defect to fix, waive the other one.
  CommandResult confirm = Cli({"review", IdOf(*fixable), "--status", "confirmed",
                               "--reviewer", "alice", "--note", "header misprinted"});
  ASSERT_EQ(confirm.exit_code, 0) << confirm.err;
  CommandResult waive = Cli({"review", other->name(), "--status", "waived", "--reviewer",
                             "bob", "--note", "OCR of a legible original",
                             "--etag", std::to_string(other->etag())});
  ASSERT_EQ(waive.exit_code, 0) << waive.err;
  // A second reviewer holding the old etag cannot overwrite the waiver.
  CommandResult stale = Cli({"review", other->name(), "--status", "confirmed",
                             "--reviewer", "carol", "--etag", std::to_string(other->etag())});
  EXPECT_EQ(stale.exit_code, 2);
  EXPECT_EQ(ByName(other->name()).status(), v1::WAIVED);

  // Version 2: two lines inserted at the top (every line shifts) and the
  // page-1 header corrected.
  std::stringstream text;
  text << std::ifstream(doc_path_).rdbuf();
  std::string content = text.str();
  const size_t bad = content.find("Case No. F!2014-20439");
  ASSERT_NE(bad, std::string::npos);
  content.replace(bad, 21, "Case No. F-2014-20439");
  content = "\n\n" + content;
  std::ofstream(doc_path_, std::ios::trunc) << content;

  CommandResult second = Cli({"audit", doc_path_, "--case", kCase});
  ASSERT_NE(second.exit_code, 2) << second.err;
  const v1::Finding fixable_now = ByName(fixable->name());
  const v1::Finding other_now = ByName(other->name());
  EXPECT_EQ(fixable_now.status(), v1::FIXED);
  EXPECT_EQ(other_now.status(), v1::WAIVED) << "the waiver follows the fingerprint";
  EXPECT_NE(other_now.version_sha256(), other->version_sha256());
  EXPECT_EQ(other_now.fingerprint(), other->fingerprint());
  EXPECT_THAT(other_now.file_name(), HasSubstr("C05761178.txt"));

  // History through the API and the CLI.
  v1::ListFindingReviewsRequest hreq;
  hreq.set_name(fixable->name());
  v1::ListFindingReviewsResponse history;
  grpc::ClientContext ctx;
  ASSERT_TRUE(stub_->ListFindingReviews(&ctx, hreq, &history).ok());
  ASSERT_EQ(history.reviews_size(), 2);
  EXPECT_EQ(history.reviews(0).to_status(), v1::CONFIRMED);
  EXPECT_EQ(history.reviews(0).reviewer(), "alice");
  EXPECT_EQ(history.reviews(0).note(), "header misprinted");
  EXPECT_EQ(history.reviews(1).from_status(), v1::CONFIRMED);
  EXPECT_EQ(history.reviews(1).to_status(), v1::FIXED);
  EXPECT_THAT(history.reviews(0).time(), ::testing::MatchesRegex("20[0-9-]+T[0-9:]+Z"));
  CommandResult cli_history = Cli({"history", IdOf(*fixable)});
  EXPECT_EQ(cli_history.exit_code, 0) << cli_history.err;
  EXPECT_THAT(cli_history.out, HasSubstr("alice"));
  EXPECT_THAT(cli_history.out, HasSubstr("confirmed"));
  EXPECT_THAT(cli_history.out, HasSubstr("fixed"));
  CommandResult unknown = Cli({"history", "999999"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_THAT(unknown.err, HasSubstr("not found"));

  // check: the waived finding does not count; exit 1 while unreviewed
  // findings at or above --fail-on remain, 0 once they are reviewed as
  // false positives; --fail-on error passes when only warnings are open.
  std::vector<v1::Finding> open;
  bool open_error = false;
  for (const v1::Finding& f : Findings()) {
    if (f.status() == v1::OPEN || f.status() == v1::CONFIRMED) {
      open.push_back(f);
      open_error |= f.severity() == v1::ERROR;
    }
  }
  CommandResult gate = Cli({"check", doc_path_, "--case", kCase, "--fail-on", "error"});
  EXPECT_EQ(gate.exit_code, open_error ? 1 : 0) << gate.out << gate.err;
  EXPECT_THAT(gate.out, HasSubstr("1 waived"));
  EXPECT_FALSE(open_error);
  EXPECT_EQ(gate.exit_code, 0);
  // Version 3 brings the misprinted header back: the fixed finding reopens
  // and fails the gate.
  std::ofstream(doc_path_, std::ios::trunc) << text.str() << "\n";
  CommandResult reopened = Cli({"check", doc_path_, "--case", kCase, "--fail-on", "error"});
  EXPECT_EQ(reopened.exit_code, 1) << reopened.out << reopened.err;
  EXPECT_THAT(reopened.out, HasSubstr("F!2014-20439"));
  EXPECT_EQ(ByName(fixable->name()).status(), v1::OPEN) << "a fixed finding that comes back reopens";
  EXPECT_EQ(ByName(other->name()).status(), v1::WAIVED);
  for (const v1::Finding& f : Findings()) {
    if (f.status() != v1::OPEN && f.status() != v1::CONFIRMED) continue;
    ASSERT_EQ(Cli({"review", IdOf(f), "--status", "false-positive", "--reviewer", "dave",
                   "--note", "checked by hand"})
                  .exit_code,
              0);
  }
  gate = Cli({"check", doc_path_, "--case", kCase, "--fail-on", "info"});
  EXPECT_EQ(gate.exit_code, 0) << gate.out << gate.err;  // nothing left open
  EXPECT_THAT(gate.out, HasSubstr("PASS"));
  EXPECT_THAT(gate.out, HasSubstr("waived"));
}

// The current version changes back to an older content, byte for byte:
// that content's findings are current again. The fixed one reopens (its
// history names the submitter and the time), the waiver holds, and the
// gate fails again as the README's exit codes say.
TEST_F(LifecycleTest, OlderExactBytesReopenTheFixedFindingAndKeepTheWaiver) {
  RestartWithTokens();
  const std::string v1_bytes = ReadFileOrDie(doc_path_);
  CommandResult first = Cli({"audit", doc_path_, "--case", kCase}, "sub-token");
  ASSERT_EQ(first.exit_code, 1) << first.out << first.err;
  v1::Finding fixable, other;
  for (const v1::Finding& f : Findings()) {
    if (f.evidence() == "F!2014-20439") fixable = f;
    if (f.evidence() == "-2014-20439") other = f;
  }
  ASSERT_FALSE(fixable.name().empty());
  ASSERT_FALSE(other.name().empty());
  const std::string v1_sha = fixable.version_sha256();

  ASSERT_EQ(Cli({"review", IdOf(fixable), "--status", "confirmed", "--note",
                 "header misprinted"}, "rev-token").exit_code, 0);
  ASSERT_EQ(Cli({"review", IdOf(other), "--status", "waived", "--note",
                 "OCR of a legible original"}, "rev-token").exit_code, 0);
  // A submitter may not review.
  EXPECT_EQ(Cli({"review", IdOf(other), "--status", "open"}, "sub-token").exit_code, 2);

  // Version 2 corrects the page-1 header.
  std::string v2_bytes = v1_bytes;
  const size_t bad = v2_bytes.find("Case No. F!2014-20439");
  ASSERT_NE(bad, std::string::npos);
  v2_bytes.replace(bad, 21, "Case No. F-2014-20439");
  std::ofstream(doc_path_, std::ios::trunc | std::ios::binary) << v2_bytes;
  CommandResult fixed = Cli({"check", doc_path_, "--case", kCase, "--fail-on", "error"},
                            "sub-token");
  EXPECT_EQ(fixed.exit_code, 0) << fixed.out << fixed.err;  // README: 0 is PASS
  EXPECT_THAT(fixed.out, HasSubstr("PASS"));
  EXPECT_EQ(ByName(fixable.name()).status(), v1::FIXED);
  EXPECT_EQ(ByName(other.name()).status(), v1::WAIVED);
  const std::string v2_sha = ByName(other.name()).version_sha256();
  ASSERT_NE(v2_sha, v1_sha);

  // Version 1's exact bytes again.
  std::ofstream(doc_path_, std::ios::trunc | std::ios::binary) << v1_bytes;
  ASSERT_EQ(ReadFileOrDie(doc_path_), v1_bytes);
  CommandResult back = Cli({"check", doc_path_, "--case", kCase, "--fail-on", "error"},
                           "sub-token");
  EXPECT_EQ(back.exit_code, 1) << back.out << back.err;  // README: 1 is FAIL
  EXPECT_THAT(back.out, HasSubstr("F!2014-20439"));
  EXPECT_THAT(back.out, HasSubstr("1 waived"));
  EXPECT_THAT(back.out, HasSubstr("FAIL"));
  const v1::Finding reopened = ByName(fixable.name());
  EXPECT_EQ(reopened.status(), v1::OPEN);
  EXPECT_EQ(reopened.version_sha256(), v1_sha);
  const v1::Finding waived = ByName(other.name());
  EXPECT_EQ(waived.status(), v1::WAIVED) << "the waiver holds through the fingerprint";
  EXPECT_EQ(waived.version_sha256(), v1_sha);

  const v1::ListFindingReviewsResponse history = History(fixable.name());
  ASSERT_EQ(history.reviews_size(), 3);
  EXPECT_EQ(history.reviews(0).to_status(), v1::CONFIRMED);
  EXPECT_EQ(history.reviews(0).reviewer(), "Rita Reviewer");
  EXPECT_EQ(history.reviews(1).to_status(), v1::FIXED);
  EXPECT_EQ(history.reviews(1).reviewer(), "Sam Submitter");
  EXPECT_EQ(history.reviews(1).note(), "not produced by version " + v2_sha);
  EXPECT_EQ(history.reviews(2).from_status(), v1::FIXED);
  EXPECT_EQ(history.reviews(2).to_status(), v1::OPEN);
  EXPECT_EQ(history.reviews(2).reviewer(), "Sam Submitter");
  EXPECT_EQ(history.reviews(2).note(), "reappeared in version " + v1_sha);
  EXPECT_THAT(history.reviews(2).time(), ::testing::MatchesRegex("20[0-9-]+T[0-9:]+Z"));
  EXPECT_EQ(History(other.name()).reviews_size(), 1) << "the waiver only";
  CommandResult cli_history = Cli({"history", IdOf(fixable)}, "sub-token");
  EXPECT_EQ(cli_history.exit_code, 0) << cli_history.err;
  EXPECT_THAT(cli_history.out, HasSubstr("Sam Submitter"));
  EXPECT_THAT(cli_history.out, HasSubstr("reappeared in version"));

  // The same bytes once more: already current, nothing changes.
  CommandResult again = Cli({"check", doc_path_, "--case", kCase, "--fail-on", "error"},
                            "sub-token");
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_EQ(History(fixable.name()).reviews_size(), 3);
}

TEST_F(LifecycleTest, BaselineAcceptsKnownFindingsAndNewOnesStillFail) {
  const std::string baseline = docs_ + "/baseline.txt";
  CommandResult write = Cli({"check", doc_path_, "--case", kCase, "--fail-on", "info",
                             "--write-baseline", baseline});
  EXPECT_EQ(write.exit_code, 1) << write.out << write.err;
  CommandResult gated = Cli({"check", doc_path_, "--case", kCase, "--fail-on", "info",
                             "--baseline", baseline});
  EXPECT_EQ(gated.exit_code, 0) << gated.out << gated.err;
  EXPECT_THAT(gated.out, HasSubstr("baseline"));

  // A new defect: a page header with another wrong case number.
  std::ofstream(doc_path_, std::ios::app)
      << "UNCLASSIFIED U.S. Department of State Case No. F-2014-20999 Doc No. C05761178 "
         "Date: 06/30/2015\n";
  CommandResult regressed = Cli({"check", doc_path_, "--case", kCase, "--fail-on", "info",
                                 "--baseline", baseline});
  EXPECT_EQ(regressed.exit_code, 1) << regressed.out;

  std::ofstream(docs_ + "/bad-baseline.txt") << "not a baseline line\n";
  CommandResult bad = Cli({"check", doc_path_, "--case", kCase, "--baseline",
                           docs_ + "/bad-baseline.txt"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.err, HasSubstr("bad-baseline.txt:1"));
}

TEST_F(LifecycleTest, CheckRejectsUnreadableAndEmptyDocuments) {
  std::ofstream(docs_ + "/C00000001.txt");  // empty: the daemon rejects it
  const std::string junit = docs_ + "/out.xml";
  CommandResult r = Cli({"check", docs_, "--case", kCase, "--fail-on", "error",
                         "--baseline", "/dev/null", "--junit", junit});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("C00000001.txt: empty document"));
  std::stringstream xml;
  xml << std::ifstream(junit).rdbuf();
  EXPECT_THAT(xml.str(), HasSubstr("<error message="));
  EXPECT_THAT(xml.str(), HasSubstr("name=\"C05761178\""));
  CommandResult usage = Cli({"check", docs_ + "/missing.txt", "--case", kCase});
  EXPECT_EQ(usage.exit_code, 2);
}

}  // namespace
}  // namespace ra::testing
