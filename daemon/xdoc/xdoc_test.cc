#include "xdoc/xdoc.h"

#include "gtest/gtest.h"

namespace ra::xdoc {
namespace {

TEST(WordKeyTest, FoldsCaseAndOcrLookAlikes) {
  EXPECT_EQ(WordKey("Hello"), WordKey("hello"));
  EXPECT_EQ(WordKey("B0LD"), WordKey("bold"));
  EXPECT_NE(WordKey("bold"), WordKey("bald"));
}

}  // namespace
}  // namespace ra::xdoc
