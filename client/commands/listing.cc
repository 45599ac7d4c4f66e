#include "commands/listing.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string_view>
#include <utility>

#include "absl/strings/str_cat.h"

namespace ra::cli {
namespace {

bool IsDocumentName(std::string_view name) {
  const size_t dot = name.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return false;
  const std::string_view ext = name.substr(dot);
  return ext == ".txt" || ext == ".pdf";
}

// Appends the documents under the open folder `fd` (named `prefix`, which
// ends with '/') to `found`; takes `fd`. False with `error` when a folder
// under it cannot be listed.
bool ListFolder(int fd, const std::string& prefix, std::vector<FoundFile>* found,
                std::string* error) {
  DIR* dir = fdopendir(fd);
  if (dir == nullptr) {
    *error = absl::StrCat(prefix.substr(0, prefix.size() - 1), ": ", std::strerror(errno));
    close(fd);
    return false;
  }
  bool ok = true;
  while (true) {
    // readdir reports an error only through errno, which a failed stat of
    // the entry before (a broken link) may have set.
    errno = 0;
    const dirent* e = readdir(dir);
    if (e == nullptr) break;
    const std::string_view name = e->d_name;
    if (name == "." || name == "..") continue;
    unsigned char type = e->d_type;
    bool link = false;
    if (type == DT_UNKNOWN || type == DT_LNK) {
      struct stat st;
      if (fstatat(dirfd(dir), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
      link = S_ISLNK(st.st_mode);
      if (link) {
        // A link is a document when it leads to a regular file (a broken
        // link, or one to a folder, is neither listed nor followed).
        if (fstatat(dirfd(dir), e->d_name, &st, 0) != 0) continue;
        type = S_ISREG(st.st_mode) ? DT_REG : DT_LNK;
      } else {
        type = S_ISDIR(st.st_mode) ? DT_DIR : S_ISREG(st.st_mode) ? DT_REG : DT_UNKNOWN;
      }
    }
    if (type == DT_DIR) {
      const int sub = openat(dirfd(dir), e->d_name,
                             O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      const int open_errno = errno;
      std::string sub_prefix = prefix;
      sub_prefix.append(name).push_back('/');
      if (sub < 0) {
        *error = absl::StrCat(sub_prefix.substr(0, sub_prefix.size() - 1), ": ",
                              std::strerror(open_errno));
        ok = false;
        break;
      }
      if (!ListFolder(sub, sub_prefix, found, error)) {
        ok = false;
        break;
      }
    } else if (type == DT_REG && IsDocumentName(name)) {
      std::string path = prefix;
      path.append(name);
      found->push_back({std::move(path), link});
    }
  }
  if (ok && errno != 0) {
    *error = absl::StrCat(prefix.substr(0, prefix.size() - 1), ": ", std::strerror(errno));
    ok = false;
  }
  closedir(dir);
  return ok;
}

}  // namespace

bool CollectFiles(const std::vector<std::string>& paths,
                  std::vector<FoundFile>* files, std::string* error) {
  for (const std::string& p : paths) {
    struct stat st;
    if (stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
      const int fd = open(p.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      if (fd < 0) {
        *error = absl::StrCat(p, ": ", std::strerror(errno));
        return false;
      }
      std::vector<FoundFile> found;
      const std::string prefix = !p.empty() && p.back() == '/' ? p : p + "/";
      if (!ListFolder(fd, prefix, &found, error)) return false;
      std::sort(found.begin(), found.end());
      files->insert(files->end(), std::make_move_iterator(found.begin()),
                    std::make_move_iterator(found.end()));
    } else if (stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
      struct stat lst;
      files->push_back({p, lstat(p.c_str(), &lst) == 0 && S_ISLNK(lst.st_mode)});
    } else {
      *error = absl::StrCat(p, ": no such file or folder");
      return false;
    }
  }
  return true;
}

}  // namespace ra::cli
