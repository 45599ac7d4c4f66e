// The store's cross-document part: passage texts kept per version and read
// back for the latest versions; findings added to other documents.
#include <map>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "store/store.h"
#include "testing/testing.h"

namespace ra {
namespace {

constexpr char kCase[] = "F-2014-20439";

AuditRecord Record(const std::string& doc, const std::string& sha,
                   const std::string& passage) {
  AuditRecord r;
  r.metadata.case_number = kCase;
  r.metadata.doc_number = doc;
  r.file_name = doc + ".txt";
  r.sha256 = sha;
  r.passage_text = passage;
  return r;
}

Finding XFinding(const std::string& fingerprint) {
  Finding f;
  f.rule_id = "xdoc.withheld-elsewhere";
  f.severity = Severity::kWarning;
  f.message = "text released here is withheld in C2";
  f.page = 1;
  f.line = 7;
  f.fingerprint = fingerprint;
  return f;
}

TEST(StoreXdocTest, PassagesOfLatestVersionsAndAddedFindings) {
  const std::string dir = testing::MakeTempDir();
  auto store = Store::Open(dir + "/a.sqlite");
  ASSERT_TRUE(store.ok()) << store.status();
  ASSERT_TRUE((*store)->RecordAudit(Record("C1", "a1", "L 1 0 old\n")).ok());
  ASSERT_TRUE((*store)->RecordAudit(Record("C1", "a2", "L 1 0 new\n")).ok());
  ASSERT_TRUE((*store)->RecordAudit(Record("C2", "b1", "L 1 0 other\n")).ok());
  ASSERT_TRUE((*store)->RecordAudit(Record("C3", "c1", "")).ok());  // none

  std::map<std::string, std::string> seen;
  ASSERT_TRUE((*store)
                  ->ForEachPassage(kCase, [&](StoredPassage p) {
                    EXPECT_GT(p.version_id, 0);
                    seen[p.doc_number] = p.passage_text;
                  })
                  .ok());
  EXPECT_EQ(seen, (std::map<std::string, std::string>{
                      {"C1", "L 1 0 new\n"}, {"C2", "L 1 0 other\n"}}));
  int other_case = 0;
  ASSERT_TRUE((*store)
                  ->ForEachPassage("F-0000-00000",
                                   [&](StoredPassage) { ++other_case; })
                  .ok());
  EXPECT_EQ(other_case, 0);

  // Added once; a second add keeps the id; unknown documents are skipped.
  std::vector<DocumentFinding> add = {{kCase, "C1", XFinding("x1"), "", ""},
                                      {kCase, "C9", XFinding("x2"), "", ""}};
  auto added = (*store)->AddFindings(add);
  ASSERT_TRUE(added.ok()) << added.status();
  EXPECT_EQ(*added, 1);
  added = (*store)->AddFindings(add);
  ASSERT_TRUE(added.ok());
  EXPECT_EQ(*added, 0);
  FindingFilter filter;
  filter.case_number = kCase;
  filter.rule_id = "xdoc.withheld-elsewhere";
  auto listed = (*store)->ListFindings(filter);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].doc_number, "C1");
  EXPECT_EQ((*listed)[0].status, FindingStatus::kOpen);
  EXPECT_EQ((*listed)[0].finding.line, 7);
}

TEST(StoreXdocTest, CheckOfThePartnerClosesWhatItNoLongerProduces) {
  const std::string dir = testing::MakeTempDir();
  auto store = Store::Open(dir + "/a.sqlite");
  ASSERT_TRUE(store.ok()) << store.status();
  for (const char* doc : {"C1", "C2", "C3"}) {
    ASSERT_TRUE((*store)->RecordAudit(Record(doc, doc, "L 1 0 x\n")).ok());
  }
  // C1's check: a finding on C2 and one on C3, both with partner C1; C3's
  // check: one on C2 with partner C3.
  auto applied = (*store)->ApplyCrossCheck(
      {{kCase, "C2", XFinding("from-c1"), kCase, "C1"},
       {kCase, "C3", XFinding("c3-from-c1"), kCase, "C1"},
       {kCase, "C2", XFinding("from-c3"), kCase, "C3"}},
      {{kCase, "C1"}, {kCase, "C3"}});
  ASSERT_TRUE(applied.ok()) << applied.status();
  EXPECT_EQ(applied->added, 3);
  EXPECT_EQ(applied->closed, 0);

  // C1 checked again: it now yields only the C3 finding, at another place
  // (new fingerprint). The old ones with partner C1 close; C3's stays.
  applied = (*store)->ApplyCrossCheck(
      {{kCase, "C3", XFinding("c3-from-c1-moved"), kCase, "C1"}},
      {{kCase, "C1"}});
  ASSERT_TRUE(applied.ok()) << applied.status();
  EXPECT_EQ(applied->added, 1);
  EXPECT_EQ(applied->closed, 2);
  FindingFilter filter;
  filter.case_number = kCase;
  auto listed = (*store)->ListFindings(filter);
  ASSERT_TRUE(listed.ok());
  std::map<std::string, FindingStatus> status;
  for (const StoredFinding& f : *listed) status[f.finding.fingerprint] = f.status;
  EXPECT_EQ(status, (std::map<std::string, FindingStatus>{
                        {"from-c1", FindingStatus::kFixed},
                        {"c3-from-c1", FindingStatus::kFixed},
                        {"c3-from-c1-moved", FindingStatus::kOpen},
                        {"from-c3", FindingStatus::kOpen}}));
  // The history says why.
  for (const StoredFinding& f : *listed) {
    if (f.finding.fingerprint != "from-c1") continue;
    auto history = (*store)->History(f.id);
    ASSERT_TRUE(history.ok());
    ASSERT_FALSE(history->empty());
    EXPECT_EQ(history->back().note,
              "not produced by the cross-document check of C1");
  }

  // A whole-case check producing the C1 finding again reopens it (same
  // id), and closes the others of the case.
  applied = (*store)->ApplyCrossCheck(
      {{kCase, "C2", XFinding("from-c1"), kCase, "C1"}}, {{kCase, ""}});
  ASSERT_TRUE(applied.ok()) << applied.status();
  EXPECT_EQ(applied->added, 0);
  EXPECT_EQ(applied->closed, 2);
  listed = (*store)->ListFindings(filter);
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->size(), 4u) << "nothing duplicated";
  int open = 0;
  for (const StoredFinding& f : *listed) {
    if (f.status == FindingStatus::kOpen) {
      ++open;
      EXPECT_EQ(f.finding.fingerprint, "from-c1");
    }
  }
  EXPECT_EQ(open, 1);
}

}  // namespace
}  // namespace ra
