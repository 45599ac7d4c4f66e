// CollectFiles against std::filesystem's recursive_directory_iterator (the
// listing it replaced) on a folder with every kind of entry a release
// folder can hold, and on the committed sample release.
#include "commands/listing.h"

#include <algorithm>
#include <filesystem>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/testing.h"

namespace ra::cli {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::ra::testing::FixturePath;
using ::ra::testing::MakeTempDir;
using ::ra::testing::WriteFile;

// The listing as it was made with std::filesystem.
std::vector<FoundFile> Reference(const std::string& folder) {
  std::vector<FoundFile> found;
  for (auto it = fs::recursive_directory_iterator(folder);
       it != fs::recursive_directory_iterator(); ++it) {
    if (it->is_regular_file() && (it->path().extension() == ".txt" ||
                                  it->path().extension() == ".pdf")) {
      found.push_back({it->path().string(), it->is_symlink()});
    }
  }
  std::sort(found.begin(), found.end());
  return found;
}

std::vector<std::pair<std::string, bool>> Flat(const std::vector<FoundFile>& files) {
  std::vector<std::pair<std::string, bool>> out;
  for (const FoundFile& f : files) out.emplace_back(f.path, f.link);
  return out;
}

class ListingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = MakeTempDir() + "/release";
    fs::create_directories(root_ + "/June/nested/deeper");
    fs::create_directories(root_ + "/.hidden");
    fs::create_directories(root_ + "/empty");
    fs::create_directories(root_ + "/outside");
    for (const char* name :
         {"C1.txt", "a.pdf", "b.TXT", "c.txt.bak", ".txt", "..txt", "d.", "noext",
          "June/C2.txt", "June/nested/C3.pdf", "June/nested/deeper/C4.txt",
          ".hidden/C5.txt", "outside/C6.txt", "a.txt"}) {
      WriteFile(root_, name, "text\n");
    }
    fs::create_directories(root_ + "/dir.txt");  // a folder named like a document
    WriteFile(root_, "dir.txt/C7.txt", "text\n");
    fs::create_symlink(root_ + "/C1.txt", root_ + "/June/link.txt");
    fs::create_symlink(root_ + "/outside", root_ + "/June/linked-folder.txt");
    fs::create_symlink(root_ + "/missing.txt", root_ + "/broken.txt");
    fs::create_symlink(root_ + "/outside", root_ + "/linked-folder");
  }
  std::string root_;
};

TEST_F(ListingTest, ListsWhatTheFilesystemIteratorListed) {
  for (const std::string& folder : {root_, root_ + "/", root_ + "/June"}) {
    std::vector<FoundFile> files;
    std::string error;
    ASSERT_TRUE(CollectFiles({folder}, &files, &error)) << error;
    EXPECT_EQ(Flat(files), Flat(Reference(folder))) << folder;
  }
  std::vector<FoundFile> files;
  std::string error;
  ASSERT_TRUE(CollectFiles({root_}, &files, &error)) << error;
  // What the reference itself is taken to be: the kinds of entries above.
  std::vector<std::string> names;
  for (const FoundFile& f : files) names.push_back(f.path.substr(root_.size() + 1));
  EXPECT_THAT(names, ElementsAre("..txt", ".hidden/C5.txt", "C1.txt", "June/C2.txt",
                                 "June/link.txt", "June/nested/C3.pdf",
                                 "June/nested/deeper/C4.txt", "a.pdf", "a.txt",
                                 "dir.txt/C7.txt", "outside/C6.txt"));
  EXPECT_TRUE(files[4].link);
  EXPECT_FALSE(files[2].link);
}

TEST_F(ListingTest, FilesAndFoldersInTheOrderGiven) {
  std::vector<FoundFile> files;
  std::string error;
  ASSERT_TRUE(CollectFiles({root_ + "/June/nested", root_ + "/June/link.txt",
                            root_ + "/noext"},
                           &files, &error))
      << error;
  EXPECT_THAT(Flat(files),
              ElementsAre(std::pair(root_ + "/June/nested/C3.pdf", false),
                          std::pair(root_ + "/June/nested/deeper/C4.txt", false),
                          std::pair(root_ + "/June/link.txt", true),
                          std::pair(root_ + "/noext", false)));
}

TEST_F(ListingTest, MissingPathsAreNamed) {
  std::vector<FoundFile> files;
  std::string error;
  EXPECT_FALSE(CollectFiles({root_ + "/nope"}, &files, &error));
  EXPECT_EQ(error, root_ + "/nope: no such file or folder");
  EXPECT_FALSE(CollectFiles({root_ + "/broken.txt"}, &files, &error));
  EXPECT_EQ(error, root_ + "/broken.txt: no such file or folder");
}

// A folder whose last entry is a link to nothing (or a file removed
// between the listing and its stat) lists what is left: the failed stat
// is not taken for a failed listing.
TEST_F(ListingTest, FolderEndingInABrokenLinkIsListed) {
  const std::string folder = root_ + "/only-broken";
  fs::create_directories(folder);
  fs::create_symlink(folder + "/missing.txt", folder + "/x.txt");
  std::vector<FoundFile> files;
  std::string error;
  EXPECT_TRUE(CollectFiles({folder}, &files, &error)) << error;
  EXPECT_THAT(files, IsEmpty());
  WriteFile(folder, "C8.txt", "text\n");
  EXPECT_TRUE(CollectFiles({folder}, &files, &error)) << error;
  EXPECT_EQ(Flat(files), Flat(Reference(folder)));
}

TEST(ListingSampleTest, SampleReleaseAsTheFilesystemIteratorListsIt) {
  const std::string folder = FixturePath("sample-release");
  std::vector<FoundFile> files;
  std::string error;
  ASSERT_TRUE(CollectFiles({folder}, &files, &error)) << error;
  EXPECT_THAT(files, ::testing::Not(IsEmpty()));
  EXPECT_EQ(Flat(files), Flat(Reference(folder)));
}

}  // namespace
}  // namespace ra::cli
