// Cross-document consistency end to end: the real daemon and CLI, real
// documents of the corpus. Checked at audit and by `crosscheck --case`;
// the mirrored finding closes when the redacting document is fixed.
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "integration/process.h"
#include "redaction_audit/v1/audit_service.grpc.pb.h"
#include "testing/testing.h"

namespace ra::testing {
namespace {

namespace v1 = ::redaction_audit::v1;
using ::testing::HasSubstr;

const char kCase[] = "F-2014-20439";
// Two lines of the memo's page 1 (lines 43-44).
const char kPassage[] =
    "Regrettably, some governments in the region have\n"
    "   sought to curtail the essential freedoms of expression and "
    "association.";

// The memo's paragraph (lines 36-47) re-wrapped at 40 columns with a page
// break and a page header after its third line, under doc number `doc`.
std::string Rewrapped(const std::string& memo, const std::string& doc) {
  std::vector<std::string> lines = absl::StrSplit(memo, '\n');
  std::string para;
  for (int i = 35; i < 47; ++i) para += lines[i] + " ";
  std::vector<std::string> wrapped(1);
  for (absl::string_view w : absl::StrSplit(para, ' ', absl::SkipEmpty())) {
    if (wrapped.back().size() + w.size() > 40) wrapped.emplace_back();
    absl::StrAppend(&wrapped.back(), w, " ");
  }
  wrapped.insert(wrapped.begin() + 3,
                 "\n\fUNCLASSIFIED U.S. Department of State Case No. "
                 "F-2014-20439 Doc No. C05760093 Date: 06/30/2015\n");
  std::vector<std::string> out(lines.begin(), lines.begin() + 35);
  out.insert(out.end(), wrapped.begin(), wrapped.end());
  out.insert(out.end(), lines.begin() + 47, lines.end());
  return absl::StrReplaceAll(absl::StrJoin(out, "\n"), {{"C05760093", doc}});
}

class CrossCheckTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = MakeTempDir();
    daemon_ = std::make_unique<Daemon>(dir_);
    ASSERT_TRUE(daemon_->WaitReady()) << daemon_->log();
    stub_ = v1::AuditService::NewStub(grpc::CreateChannel(
        daemon_->address(), grpc::InsecureChannelCredentials()));
    docs_ = MakeTempDir();
    memo_ = ReadFileOrDie(FixturePath("xdoc/C05760093.txt"));
  }

  CommandResult Cli(std::vector<std::string> args) {
    args.insert(args.begin(), CliBinary());
    return RunCommand(args, {"REDACTION_AUDIT_SERVER=" + daemon_->address()});
  }

  // Writes `text` as <docs>/<sub>/<doc>.txt and audits that file.
  CommandResult Audit(const std::string& doc, const std::string& text,
                      const std::string& sub = "a") {
    std::filesystem::create_directories(docs_ + "/" + sub);
    const std::string path = docs_ + "/" + sub + "/" + doc + ".txt";
    std::ofstream(path, std::ios::trunc) << text;
    return Cli({"audit", path, "--case", kCase, "--quiet"});
  }

  // Cross-document findings of `doc`, every status.
  std::vector<v1::Finding> Xdoc(const std::string& doc) {
    v1::ListFindingsRequest request;
    request.set_parent(std::string("cases/") + kCase);
    request.set_document(doc);
    request.set_page_size(1000);
    v1::ListFindingsResponse response;
    grpc::ClientContext ctx;
    EXPECT_TRUE(stub_->ListFindings(&ctx, request, &response).ok());
    std::vector<v1::Finding> out;
    for (const v1::Finding& f : response.findings()) {
      if (f.rule().rfind("xdoc.", 0) == 0) out.push_back(f);
    }
    return out;
  }

  std::string dir_, docs_, memo_;
  std::unique_ptr<Daemon> daemon_;
  std::unique_ptr<v1::AuditService::Stub> stub_;
};

TEST_F(CrossCheckTest, WithheldPassageReleasedInAnotherCopyOfTheThread) {
  // The memo as released (RELEASE IN FULL), an unrelated document, and a
  // consistent copy of the memo laid out differently (re-wrapped, a page
  // break inside the paragraph): nothing on any of them.
  ASSERT_NE(Audit("C05760093", memo_).exit_code, 2);
  ASSERT_NE(Audit("C05788039",
                  ReadFileOrDie(FixturePath("xdoc/C05788039.txt")))
                .exit_code,
            2);
  ASSERT_NE(Audit("C09999004", Rewrapped(memo_, "C09999004")).exit_code, 2);
  EXPECT_TRUE(Xdoc("C05760093").empty());
  EXPECT_TRUE(Xdoc("C05788039").empty());
  EXPECT_TRUE(Xdoc("C09999004").empty());

  // Another copy with that layout, the passage removed and a B6 mark in
  // its place.
  std::string red = Rewrapped(memo_, "C09999001");
  ASSERT_EQ(red.find(kPassage), std::string::npos);
  const size_t at = red.find("Regrettably, some governments");
  ASSERT_NE(at, std::string::npos);
  const size_t end = red.find("association.", at);
  ASSERT_NE(end, std::string::npos);
  red.replace(at, end + 12 - at, "B6");
  red = absl::StrReplaceAll(red, {{"RELEASE IN FULL", "RELEASE IN PART B6"}});
  const std::vector<std::string> red_lines = absl::StrSplit(red, '\n');
  int mark_line = 0;
  for (size_t i = 0; i < red_lines.size(); ++i) {
    if (red_lines[i].find("B6") != std::string::npos &&
        red_lines[i].find("RELEASE") == std::string::npos) {
      mark_line = static_cast<int>(i) + 1;
    }
  }
  ASSERT_GT(mark_line, 0);
  CommandResult audited = Audit("C09999001", red);
  ASSERT_EQ(audited.exit_code, 1) << audited.out << audited.err;

  // On the redacting copy, once per releasing copy: at the B6 mark, on its
  // page 2 (the page break is before the mark).
  std::vector<v1::Finding> on_red = Xdoc("C09999001");
  ASSERT_EQ(on_red.size(), 2u);
  std::string messages;
  for (const v1::Finding& f : on_red) {
    EXPECT_EQ(f.rule(), "xdoc.released-elsewhere");
    EXPECT_EQ(f.severity(), v1::ERROR);
    EXPECT_EQ(f.location().line(), mark_line);
    EXPECT_EQ(f.location().page(), 2);
    EXPECT_THAT(f.evidence(),
                HasSubstr("Regrettably some governments in the region"));
    messages += f.message() + "\n";
  }
  EXPECT_THAT(messages, HasSubstr("released in C05760093 page 1 line 43"));
  EXPECT_THAT(messages, HasSubstr("released in C09999004 page 2 line"));
  // The mirror on the memo, at "Regrettably" on its line 43.
  std::vector<v1::Finding> on_memo = Xdoc("C05760093");
  ASSERT_EQ(on_memo.size(), 1u);
  EXPECT_EQ(on_memo[0].rule(), "xdoc.withheld-elsewhere");
  EXPECT_EQ(on_memo[0].location().page(), 1);
  EXPECT_EQ(on_memo[0].location().line(), 43);
  const std::vector<std::string> memo_lines = absl::StrSplit(memo_, '\n');
  EXPECT_EQ(on_memo[0].location().column(),
            static_cast<int>(memo_lines[42].find("Regrettably")));
  EXPECT_THAT(on_memo[0].message(),
              HasSubstr(absl::StrCat("in C09999001 page 2 line ", mark_line)));
  // And on the consistent copy, where its own layout prints it.
  std::vector<v1::Finding> on_copy = Xdoc("C09999004");
  ASSERT_EQ(on_copy.size(), 1u);
  EXPECT_EQ(on_copy[0].rule(), "xdoc.withheld-elsewhere");
  EXPECT_EQ(on_copy[0].location().page(), 2);
  EXPECT_EQ(on_copy[0].location().column(), 0);
  // Unrelated: still nothing.
  EXPECT_TRUE(Xdoc("C05788039").empty());

  // The whole case on demand: the same pairs, nothing new.
  CommandResult whole =
      Cli({"crosscheck", "--case", kCase, "--format", "json"});
  EXPECT_EQ(whole.exit_code, 1) << whole.out << whole.err;
  EXPECT_THAT(whole.out, HasSubstr("\"documents\":4"));
  EXPECT_THAT(whole.out, HasSubstr("\"findings\":4"));
  EXPECT_THAT(whole.out, HasSubstr("\"new_findings\":0"));
  EXPECT_THAT(whole.out, HasSubstr("\"closed_findings\":0"));
  EXPECT_THAT(whole.out, HasSubstr("\"xdoc.released-elsewhere\":2"));
  EXPECT_THAT(whole.out, HasSubstr("\"xdoc.withheld-elsewhere\":2"));
  CommandResult table = Cli({"crosscheck", "--case", kCase});
  EXPECT_EQ(table.exit_code, 1);
  EXPECT_THAT(table.out, HasSubstr("4 documents cross-checked"));
  // A new version of the memo and another whole-case check: no duplicate,
  // nothing closed.
  ASSERT_NE(Audit("C05760093", memo_ + "\n", "b").exit_code, 2);
  EXPECT_EQ(Cli({"crosscheck", "--case", kCase}).exit_code, 1);
  on_memo = Xdoc("C05760093");
  ASSERT_EQ(on_memo.size(), 1u);
  EXPECT_EQ(on_memo[0].status(), v1::OPEN);
  on_red = Xdoc("C09999001");
  ASSERT_EQ(on_red.size(), 2u);
  for (const v1::Finding& f : on_red) EXPECT_EQ(f.status(), v1::OPEN);
}

TEST_F(CrossCheckTest, MirroredFindingClosesWhenTheRedactingSideIsFixed) {
  std::string red = absl::StrReplaceAll(
      memo_, {{kPassage, "                         B6\n"},
              {"C05760093", "C09999001"},
              {"RELEASE IN FULL", "RELEASE IN PART B6"}});
  // The redacting copy first, then the releasing one: the finding on the
  // redacting copy comes from the memo's check this time.
  ASSERT_NE(Audit("C09999001", red).exit_code, 2);
  ASSERT_NE(Audit("C05760093", memo_).exit_code, 2);
  ASSERT_EQ(Xdoc("C09999001").size(), 1u);
  ASSERT_EQ(Xdoc("C05760093").size(), 1u);
  const std::string mirrored = Xdoc("C05760093")[0].name();

  // Version 2 of the redacting copy releases the passage.
  const std::string fixed = absl::StrReplaceAll(
      memo_, {{"C05760093", "C09999001"}});
  ASSERT_NE(Audit("C09999001", fixed, "v2").exit_code, 2);
  std::vector<v1::Finding> on_red = Xdoc("C09999001");
  ASSERT_EQ(on_red.size(), 1u);
  EXPECT_EQ(on_red[0].status(), v1::FIXED);
  std::vector<v1::Finding> on_memo = Xdoc("C05760093");
  ASSERT_EQ(on_memo.size(), 1u);
  EXPECT_EQ(on_memo[0].name(), mirrored);
  EXPECT_EQ(on_memo[0].status(), v1::FIXED);
  CommandResult history = Cli({"history", mirrored});
  EXPECT_THAT(history.out,
              HasSubstr("not produced by the cross-document check of "
                        "C09999001"));

  // Nothing reopens or duplicates on a whole-case check; the case is
  // consistent now.
  CommandResult whole =
      Cli({"crosscheck", "--case", kCase, "--format", "json"});
  EXPECT_EQ(whole.exit_code, 0) << whole.out << whole.err;
  EXPECT_THAT(whole.out, HasSubstr("\"findings\":0"));
  ASSERT_EQ(Xdoc("C05760093").size(), 1u);
  EXPECT_EQ(Xdoc("C05760093")[0].status(), v1::FIXED);

  // The real thread: C05760397 withholds (B6) a sentence C05765720 prints.
  ASSERT_NE(Audit("C05765720",
                  ReadFileOrDie(FixturePath("xdoc/C05765720.txt")))
                .exit_code,
            2);
  ASSERT_EQ(Audit("C05760397",
                  ReadFileOrDie(FixturePath("xdoc/C05760397.txt")))
                .exit_code,
            1);
  std::vector<v1::Finding> real = Xdoc("C05760397");
  ASSERT_EQ(real.size(), 1u);
  EXPECT_EQ(real[0].location().line(), 35);
  EXPECT_THAT(real[0].evidence(), HasSubstr("catching the next train"));
  ASSERT_EQ(Xdoc("C05765720").size(), 1u);
  EXPECT_EQ(Xdoc("C05765720")[0].location().line(), 25);
}

}  // namespace
}  // namespace ra::testing
