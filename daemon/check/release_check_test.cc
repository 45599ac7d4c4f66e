// The release-level rules: manifest rows vs the documents stored for the
// case, on minimal crafted lists and on the committed sample release's
// manifest.
#include "check/release_check.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pack/rule_catalog.h"
#include "testing/testing.h"

namespace ra {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

std::shared_ptr<const RulePack> LoadPack(const std::string& dir) {
  auto pack = RulePack::LoadFolder(dir);
  EXPECT_TRUE(pack.ok()) << pack.status();
  return *pack;
}

std::shared_ptr<const RulePack> StatePack() {
  return LoadPack(testing::SourcePath("rules/state"));
}

ListedDocument Listed(std::string doc, std::string release, int line) {
  return ListedDocument{std::move(doc), std::move(release), "", line};
}

KnownDocument Known(std::string doc, std::string release,
                    bool submitted = true) {
  return KnownDocument{std::move(doc), std::move(release), submitted};
}

std::vector<std::string> Describe(const ReleaseCheck& check) {
  std::vector<std::string> out;
  for (const ReleaseFinding& r : check.findings) {
    out.push_back(r.finding.rule_id + " " + r.doc_number);
  }
  return out;
}

TEST(ReleaseCheckTest, EveryListedDocumentSubmittedGivesNothing) {
  auto pack = StatePack();
  const ReleaseCheck check = CheckRelease(
      {Listed("C1", "R", 2), Listed("C2", "R", 3)},
      {Known("C1", "R"), Known("C2", "R")}, *pack);
  EXPECT_THAT(check.findings, IsEmpty());
  EXPECT_THAT(check.checked, ElementsAre("C1", "C2"));
}

TEST(ReleaseCheckTest, ListedButNotSubmittedAndSubmittedButNotListed) {
  auto pack = StatePack();
  const ReleaseCheck check = CheckRelease(
      {Listed("C1", "R", 2), Listed("C9", "R", 3)},
      {Known("C1", "R"), Known("C5", "R")}, *pack);
  EXPECT_THAT(Describe(check),
              ElementsAre("release.document-not-in-manifest C5",
                          "release.document-not-submitted C9"));
  const Finding& missing = check.findings[1].finding;
  EXPECT_EQ(missing.severity, Severity::kError);
  EXPECT_EQ(missing.line, 0);
  EXPECT_THAT(missing.message, HasSubstr("manifest line 3"));
  EXPECT_EQ(check.findings[1].release, "R");
  EXPECT_EQ(check.findings[0].finding.severity, Severity::kWarning);
  EXPECT_THAT(check.checked, ElementsAre("C1", "C5", "C9"));
}

// Rows in any order, a doc number listed twice (its first row counts),
// rows without a doc number and a document stored twice.
TEST(ReleaseCheckTest, UnorderedAndRepeatedRows) {
  auto pack = StatePack();
  const ReleaseCheck check = CheckRelease(
      {Listed("C9", "R", 2), Listed("C1", "R", 3), Listed("", "R", 4), Listed("C9", "R", 5),
       Listed("C4", "R", 6)},
      {Known("C5", "R"), Known("C1", "R"), Known("C4", "R", false), Known("C5", "R")}, *pack);
  EXPECT_EQ(check.listed, 3);
  EXPECT_THAT(Describe(check), ElementsAre("release.document-not-submitted C4",
                                           "release.document-not-in-manifest C5",
                                           "release.document-not-submitted C9"));
  EXPECT_THAT(check.findings[2].finding.message, HasSubstr("manifest line 2"));
  EXPECT_THAT(check.checked, ElementsAre("C1", "C4", "C5", "C9"));
}

// The check against a plain model of its rules (maps and sets, every row
// looked up), on random lists: the same findings, messages and checked
// documents.
TEST(ReleaseCheckTest, MatchesAModelOnRandomLists) {
  auto pack = StatePack();
  std::mt19937 rng(20261201);
  for (int round = 0; round < 300; ++round) {
    SCOPED_TRACE(round);
    const int docs = 1 + static_cast<int>(rng() % 40);
    const std::vector<std::string> releases = {"", "June", "July", "Oct"};
    auto doc = [&] { return "C" + std::to_string(rng() % docs); };
    // One round in three has rows without a release (the whole case).
    auto release = [&] { return round % 3 == 0 ? releases[rng() % 4] : releases[1 + rng() % 3]; };
    std::vector<ListedDocument> listed;
    for (int i = 0, n = static_cast<int>(rng() % 30); i < n; ++i) {
      listed.push_back(Listed(rng() % 10 == 0 ? "" : doc(), release(), i + 2));
    }
    std::vector<KnownDocument> known;
    for (int i = 0, n = static_cast<int>(rng() % 30); i < n; ++i) {
      known.push_back(Known(doc(), release(), rng() % 4 != 0));
    }

    std::map<std::string, const ListedDocument*> rows;
    std::set<std::string> covered;
    bool whole_case = false;
    for (const ListedDocument& l : listed) {
      if (l.doc_number.empty()) continue;
      rows.emplace(l.doc_number, &l);
      covered.insert(l.release);
      whole_case = whole_case || l.release.empty();
    }
    std::map<std::string, const KnownDocument*> stored;
    for (const KnownDocument& k : known) stored.emplace(k.doc_number, &k);
    std::vector<std::string> want;
    std::set<std::string> checked;
    for (const auto& [d, row] : rows) {
      checked.insert(d);
      auto it = stored.find(d);
      if (it == stored.end() || !it->second->submitted) {
        want.push_back("release.document-not-submitted " + d + " line " +
                       std::to_string(row->manifest_line));
      }
    }
    for (const auto& [d, k] : stored) {
      if (!k->submitted || rows.count(d) > 0) continue;
      if (!whole_case && !k->release.empty() && covered.count(k->release) == 0) continue;
      checked.insert(d);
      want.push_back("release.document-not-in-manifest " + d);
    }

    const ReleaseCheck check = CheckRelease(listed, known, *pack);
    std::vector<std::string> got;
    for (const ReleaseFinding& r : check.findings) {
      std::string line = r.finding.rule_id + " " + r.doc_number;
      const size_t at = r.finding.message.find("manifest line ");
      if (at != std::string::npos) {
        line += " line " + r.finding.message.substr(at + 14, r.finding.message.find(')', at) - at - 14);
      }
      got.push_back(line);
    }
    // Findings by doc number (one per doc), as strings ("C10" before "C2").
    auto by_doc = [](const std::string& a, const std::string& b) {
      const size_t sa = a.find(' ') + 1, sb = b.find(' ') + 1;
      return a.substr(sa, a.find(' ', sa) - sa) < b.substr(sb, b.find(' ', sb) - sb);
    };
    std::stable_sort(want.begin(), want.end(), by_doc);
    EXPECT_EQ(got, want);
    EXPECT_EQ(check.checked, std::vector<std::string>(checked.begin(), checked.end()));
    EXPECT_EQ(check.listed, static_cast<int64_t>(rows.size()));
  }
}

TEST(ReleaseCheckTest, DocumentKnownWithoutVersionIsNotSubmitted) {
  // A row a previous check created for a listed document has no version.
  auto pack = StatePack();
  const ReleaseCheck check =
      CheckRelease({Listed("C9", "R", 2)}, {Known("C9", "R", false)}, *pack);
  EXPECT_THAT(Describe(check),
              ElementsAre("release.document-not-submitted C9"));
}

TEST(ReleaseCheckTest, DocumentsOfOtherReleasesAreOutOfScope) {
  auto pack = StatePack();
  const ReleaseCheck check = CheckRelease(
      {Listed("C1", "June", 2)},
      {Known("C1", "June"), Known("C7", "July"), Known("C8", "")}, *pack);
  // C7 belongs to a release the manifest does not cover; C8 has none.
  EXPECT_THAT(Describe(check),
              ElementsAre("release.document-not-in-manifest C8"));
  EXPECT_THAT(check.checked, ElementsAre("C1", "C8"));
}

TEST(ReleaseCheckTest, RowsWithoutReleaseCoverTheWholeCase) {
  auto pack = StatePack();
  const ReleaseCheck check = CheckRelease(
      {Listed("C1", "", 2)}, {Known("C1", "June"), Known("C7", "July")},
      *pack);
  EXPECT_THAT(Describe(check),
              ElementsAre("release.document-not-in-manifest C7"));
}

TEST(ReleaseCheckTest, FingerprintsDependOnRuleAndDocOnly) {
  auto pack = StatePack();
  const ReleaseCheck a =
      CheckRelease({Listed("C9", "R", 3)}, {}, *pack);
  const ReleaseCheck b = CheckRelease(
      {Listed("C0", "R", 2), Listed("C1", "R", 7), Listed("C9", "R", 40)},
      {Known("C0", "R"), Known("C1", "R")}, *pack);
  ASSERT_EQ(a.findings.size(), 1u);
  ASSERT_EQ(b.findings.size(), 1u);
  EXPECT_EQ(a.findings[0].finding.fingerprint, b.findings[0].finding.fingerprint);
  const ReleaseCheck other = CheckRelease({Listed("C8", "R", 3)}, {}, *pack);
  EXPECT_NE(other.findings[0].finding.fingerprint,
            a.findings[0].finding.fingerprint);
}

TEST(ReleaseCheckTest, PackDisablesOverridesAndSuppresses) {
  const std::string dir = testing::MakeTempDir();
  const auto state = StatePack();
  const std::string fp =
      CheckRelease({Listed("C9", "R", 2)}, {}, *state).findings.at(0)
          .finding.fingerprint;
  std::ofstream(dir + "/p.textproto")
      << "imports: \"" << testing::SourcePath("rules/state/pack.textproto")
      << "\"\n"
      << "rules { id: \"release.document-not-in-manifest\" enabled: false }\n"
      << "rules { id: \"release.document-not-submitted\" severity: INFO }\n"
      << "suppressions { fingerprint: \"" << fp
      << "\" reason: \"withdrawn from the release\" }\n";
  auto pack = LoadPack(dir);
  ASSERT_NE(pack, nullptr);
  const ReleaseCheck check = CheckRelease(
      {Listed("C8", "R", 2), Listed("C9", "R", 3)}, {Known("C5", "R")}, *pack);
  ASSERT_THAT(Describe(check),
              ElementsAre("release.document-not-submitted C8"));
  EXPECT_EQ(check.findings[0].finding.severity, Severity::kInfo);
}

// The committed sample release's manifest against itself: each listed
// document submitted gives nothing; dropping one file and adding a row
// give one finding each.
TEST(ReleaseCheckTest, SampleReleaseManifest) {
  auto pack = StatePack();
  std::istringstream csv(testing::ReadFileOrDie(
      testing::FixturePath("sample-release/manifest.csv")));
  std::string line;
  std::getline(csv, line);  // header: release,file,doc_number,...
  std::vector<ListedDocument> listed;
  std::vector<KnownDocument> known;
  int n = 1;
  while (std::getline(csv, line)) {
    ++n;
    std::vector<std::string> cols;
    std::stringstream row(line);
    for (std::string c; std::getline(row, c, ',');) cols.push_back(c);
    ASSERT_GE(cols.size(), 3u) << line;
    listed.push_back(ListedDocument{cols[2], cols[0], cols[1], n});
    known.push_back(Known(cols[2], cols[0]));
  }
  ASSERT_GE(listed.size(), 10u);
  EXPECT_THAT(CheckRelease(listed, known, *pack).findings, IsEmpty());

  const std::string omitted = listed.back().doc_number;
  listed.pop_back();
  listed.push_back(ListedDocument{"C09999999", known.front().release, "", n + 1});
  EXPECT_THAT(Describe(CheckRelease(listed, known, *pack)),
              ElementsAre("release.document-not-in-manifest " + omitted,
                          "release.document-not-submitted C09999999"));
}

}  // namespace
}  // namespace ra
