#include "ingest/ingest.h"

#include "gtest/gtest.h"
#include "ingest/manifest.h"
#include "testing/testing.h"

namespace ra {
namespace {

using ::ra::testing::IsOk;
using ::ra::testing::StatusIs;

TEST(IngestTest, AcceptsRealDocument) {
  const std::string bytes = testing::ReadFileOrDie(
      testing::FixturePath("sample-release/HRCEmail_JuneWeb/C05761411.txt"));
  auto out = IngestText("C05761411.txt", bytes, {});
  ASSERT_THAT(out, IsOk());
  EXPECT_EQ(out->text, bytes);
  EXPECT_EQ(out->sha256.size(), 64u);
}

TEST(IngestTest, RejectsBadInputNamingFileAndReason) {
  struct Case {
    std::string bytes;
    absl::StatusCode code;
    std::string message;
  } cases[] = {
      {"", absl::StatusCode::kInvalidArgument, "a.txt: empty document"},
      {std::string("ab\0cd", 5), absl::StatusCode::kInvalidArgument,
       "a.txt: binary content (NUL byte at offset 2)"},
      {"ok\nline \xC3\x28 bad", absl::StatusCode::kInvalidArgument,
       "a.txt: invalid UTF-8 at byte 8 (line 2)"},
      {"over\xE0\x80\xAF", absl::StatusCode::kInvalidArgument,  // overlong
       "invalid UTF-8 at byte 4"},
      {"\xED\xA0\x80", absl::StatusCode::kInvalidArgument,  // surrogate
       "invalid UTF-8 at byte 0"},
      {std::string(101, 'x'), absl::StatusCode::kResourceExhausted,
       "a.txt: document of 101 bytes is over the limit of 100 bytes"},
  };
  IngestOptions options;
  options.max_bytes = 100;
  for (const Case& c : cases) {
    EXPECT_THAT(IngestText("a.txt", c.bytes, options), StatusIs(c.code, c.message));
  }
}

// The first bad byte is found wherever it falls against the 64- and
// 8-byte rounds of the ASCII fast path, after valid multi-byte text too.
TEST(IngestTest, FindsFirstInvalidUtf8AtEveryOffset) {
  for (size_t at = 0; at < 200; ++at) {
    for (const char* prefix_bytes : {"", "\xc3\xa9"}) {
      const std::string prefix = prefix_bytes;
      std::string s = prefix + std::string(at, 'a') + "\xff" + std::string(100, 'b') + "\xfe";
      EXPECT_EQ(FindInvalidUtf8(s), prefix.size() + at) << at;
      s = prefix + std::string(at, 'a') + "\xe2\x82\xac" + std::string(90, 'b');
      EXPECT_EQ(FindInvalidUtf8(s), std::string_view::npos) << at;
      s.resize(prefix.size() + at + 2);  // a cut-off euro sign
      EXPECT_EQ(FindInvalidUtf8(s), prefix.size() + at) << at;
    }
  }
}

TEST(IngestTest, StripsByteOrderMarkButHashesBytesAsSubmitted) {
  auto with_bom = IngestText("a", "\xEF\xBB\xBFhello", {});
  auto without = IngestText("a", "hello", {});
  ASSERT_THAT(with_bom, IsOk());
  EXPECT_EQ(with_bom->text, "hello");
  EXPECT_NE(with_bom->sha256, without->sha256);
}

TEST(ManifestTest, ParsesCorpusFormatAndFindsRowsByFileOrDocNumber) {
  const std::string path = testing::FixturePath("sample-release/manifest.csv");
  auto m = Manifest::Parse(testing::ReadFileOrDie(path), path);
  ASSERT_THAT(m, IsOk());
  EXPECT_EQ(m->rows().size(), 60u);
  EXPECT_TRUE(m->row_errors().empty());
  const ManifestRow* row = m->Find("HRCEmail_JuneWeb/C05761411.txt", "x");
  ASSERT_NE(row, nullptr);
  EXPECT_EQ(row->metadata.doc_number, "C05761411");
  EXPECT_EQ(row->metadata.case_number, "F-2014-20439");
  EXPECT_EQ(row->metadata.release_date, "2015-06-30");
  EXPECT_EQ(row->metadata.release, "HRCEmail_JuneWeb");
  // Moved file: found by its doc number.
  EXPECT_EQ(m->Find("elsewhere/C05761411.txt", "C05761411"), row);
  EXPECT_EQ(m->Find("elsewhere/C0.txt", "C0"), nullptr);
}

TEST(ManifestTest, BadRowIsReportedAndOthersKept) {
  auto m = Manifest::Parse(
      "doc_number,case_number,page_count\n"
      "C1,F-1,2\n"
      "C2,F-1\n"
      "\"C3\",\"F-1\",x\n"
      "C4,\"F,1\",3\n",
      "m.csv");
  ASSERT_THAT(m, IsOk());
  ASSERT_EQ(m->rows().size(), 2u);
  EXPECT_EQ(m->rows()[1].metadata.case_number, "F,1");
  ASSERT_EQ(m->row_errors().size(), 2u);
  EXPECT_EQ(m->row_errors()[0], "m.csv:3: row has 2 fields, header has 3; row skipped");
  EXPECT_EQ(m->row_errors()[1],
            "m.csv:4: page_count \"x\" is not a number; row skipped");
}

// The records' field storage is reused from row to row: a long field must
// not leave bytes in a shorter or empty one after it, and a quoted newline
// moves the next row's line number on.
TEST(ManifestTest, RowsDoNotLeakIntoEachOther) {
  auto m = Manifest::Parse(
      "\xEF\xBB\xBF" "doc_number ,release,claimed_exemptions,case_number\r\n"
      "C0123456789,HRCEmail_JuneWeb_long_release_name, B6 ; B7(C) ;;,F-1\r\n"
      "\n"
      "C2,,,F-2\n"
      "\"C3\",\"two\nlines \"\"quoted\"\"\",B5,F-3\n"
      "C4,r,,F-4",  // no newline at the end
      "m.csv");
  ASSERT_THAT(m, IsOk());
  ASSERT_EQ(m->rows().size(), 4u);
  EXPECT_TRUE(m->row_errors().empty());
  const ReleaseMetadata& a = m->rows()[0].metadata;
  EXPECT_EQ(a.doc_number, "C0123456789");
  EXPECT_EQ(a.release, "HRCEmail_JuneWeb_long_release_name");
  EXPECT_EQ(a.claimed_exemptions, (std::vector<std::string>{"B6", "B7(C)"}));
  EXPECT_EQ(m->rows()[0].line, 2);
  const ReleaseMetadata& b = m->rows()[1].metadata;
  EXPECT_EQ(b.doc_number, "C2");
  EXPECT_EQ(b.release, "");
  EXPECT_TRUE(b.claimed_exemptions.empty());
  EXPECT_EQ(b.case_number, "F-2");
  EXPECT_EQ(m->rows()[1].line, 4);
  EXPECT_EQ(m->rows()[2].metadata.release, "two\nlines \"quoted\"");
  EXPECT_EQ(m->rows()[2].line, 5);
  EXPECT_EQ(m->rows()[3].metadata.case_number, "F-4");
  EXPECT_EQ(m->rows()[3].line, 7);
  EXPECT_EQ(m->Find("", "C4"), &m->rows()[3]);
}

TEST(ManifestTest, EmptyManifestFails) {
  EXPECT_THAT(Manifest::Parse("\n\n", "m.csv"),
              StatusIs(absl::StatusCode::kInvalidArgument, "m.csv: empty manifest"));
}

TEST(ManifestTest, HeaderWithoutKeyColumnsFails) {
  EXPECT_THAT(Manifest::Parse("a,b\n1,2\n", "m.csv"),
              StatusIs(absl::StatusCode::kInvalidArgument, "m.csv:1: header names neither"));
}

}  // namespace
}  // namespace ra
