#include <sstream>

#include "args.h"
#include "format/json.h"
#include "format/table.h"
#include "gtest/gtest.h"
#include "testing/testing.h"

namespace ra::cli {
namespace {

using ::ra::testing::StatusIs;

TEST(JsonTest, EscapesAndReplacesInvalidUtf8) {
  EXPECT_EQ(JsonString("a\"b\\c\n\x01"), "\"a\\\"b\\\\c\\n\\u0001\"");
  EXPECT_EQ(JsonString("caf\xC3\xA9"), "\"caf\xC3\xA9\"");
  EXPECT_EQ(JsonString("bad\xFF"), "\"bad\xEF\xBF\xBD\"");
  EXPECT_EQ(JsonObject().Field("a", 1).Field("b", std::vector<std::string>{"x"}).str(),
            "{\"a\":1,\"b\":[\"x\"]}");
}

TEST(TableTest, CsvQuotesOnlyWhenNeeded) {
  EXPECT_EQ(CsvRecord({"a", "b,c", "say \"hi\""}), "a,\"b,c\",\"say \"\"hi\"\"\"\n");
}

TEST(TableTest, AlignsColumns) {
  Table t({"ID", "RULE"});
  t.AddRow({"1234", "x"});
  std::ostringstream out;
  t.Print(out);
  EXPECT_EQ(out.str(), "ID    RULE\n1234  x\n");
}

TEST(ArgsTest, ParsesOptionsAndRejectsUnknown) {
  OptionSpec spec{{"case", "limit"}, {"quiet"}};
  auto args = ParseArgs({"a.txt", "--case", "F-1", "--limit=5", "--quiet", "b"}, spec);
  ASSERT_TRUE(args.ok());
  EXPECT_EQ(args->positional, (std::vector<std::string>{"a.txt", "b"}));
  EXPECT_EQ(args->Get("case"), "F-1");
  EXPECT_EQ(args->Get("limit"), "5");
  EXPECT_TRUE(args->Flag("quiet"));
  EXPECT_THAT(ParseArgs({"--nope"}, spec),
              StatusIs(absl::StatusCode::kInvalidArgument, "unknown option --nope"));
  EXPECT_THAT(ParseArgs({"--case"}, spec),
              StatusIs(absl::StatusCode::kInvalidArgument, "--case needs a value"));
}

}  // namespace
}  // namespace ra::cli
