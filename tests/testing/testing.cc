#include "testing/testing.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "gtest/gtest.h"

namespace ra::testing {

std::string SourcePath(const std::string& relative) {
  return std::string(RA_SOURCE_DIR) + "/" + relative;
}

std::string FixturePath(const std::string& relative) {
  return SourcePath("tests/fixtures/" + relative);
}

std::string ReadFileOrDie(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string WriteFile(const std::string& dir, const std::string& name,
                      const std::string& text) {
  const std::string path = dir + "/" + name;
  std::ofstream out(path, std::ios::binary);
  out << text;
  EXPECT_TRUE(out.good()) << "cannot write " << path;
  return path;
}

namespace {
std::vector<std::string>& TempDirs() {
  static auto* dirs = new std::vector<std::string>();
  return *dirs;
}
void RemoveTempDirs() {
  std::error_code ec;
  for (const std::string& d : TempDirs()) std::filesystem::remove_all(d, ec);
}
}  // namespace

std::string MakeTempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "ra-test-XXXXXX").string();
  char* dir = mkdtemp(tmpl.data());
  EXPECT_NE(dir, nullptr);
  if (TempDirs().empty()) std::atexit(RemoveTempDirs);
  TempDirs().push_back(tmpl);
  return tmpl;
}

std::string CorpusDir() {
  const char* dir = std::getenv("RA_CORPUS_DIR");
  return dir == nullptr ? "" : dir;
}

}  // namespace ra::testing
