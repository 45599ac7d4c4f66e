#include <regex>
#include <sstream>
#include <string>

#include "gtest/gtest.h"
#include "util/log.h"
#include "util/sha256.h"

namespace ra {
namespace {

TEST(Sha256Test, KnownVectors) {
  EXPECT_EQ(Sha256Hex(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(LogTest, ABatchWritesItsLinesAtOnceInTheLogLineFormat) {
  ::testing::internal::CaptureStderr();
  {
    LogBatch batch;
    batch.Info("event=audit doc=", "C1", " findings=", 2);
    batch.Add(LogLevel::kWarning, "event=audit_rejected file=\"two\nlines\"");
    LogInfo("event=single");  // written before the batch
    batch.Flush();
    batch.Info("event=audit doc=C3");
  }  // the destructor writes the last line
  const std::string log = ::testing::internal::GetCapturedStderr();
  std::istringstream in(log);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  ASSERT_EQ(lines.size(), 4u) << log;
  const std::regex time("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z ");
  const std::vector<std::string> want = {
      "INFO event=single", "INFO event=audit doc=C1 findings=2",
      "WARN event=audit_rejected file=\"two\\nlines\"",
      "INFO event=audit doc=C3"};
  for (size_t i = 0; i < want.size(); ++i) {
    ASSERT_GE(lines[i].size(), 25u) << lines[i];
    EXPECT_TRUE(std::regex_match(lines[i].substr(0, 25), time)) << lines[i];
    EXPECT_EQ(lines[i].substr(25), want[i]);
  }
}

}  // namespace
}  // namespace ra
