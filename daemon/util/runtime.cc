#include "util/runtime.h"

#include <limits.h>
#include <malloc.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "absl/synchronization/mutex.h"

namespace ra {

void UseReleaseMutexSettings() {
#ifdef NDEBUG
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
#endif
}

void UseDaemonMallocSettings() {
  constexpr int kMiB = 1 << 20;
  mallopt(M_MMAP_THRESHOLD, 32 * kMiB);
  mallopt(M_TOP_PAD, 64 * kMiB);
  mallopt(M_TRIM_THRESHOLD, 256 * kMiB);
}

void ReexecWithHugePageMalloc(char** argv) {
  const char* set = std::getenv("GLIBC_TUNABLES");
  std::string tunables = set == nullptr ? "" : set;
  if (tunables.find("glibc.malloc.hugetlb") != std::string::npos) return;
  std::ifstream thp("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string modes;
  if (!std::getline(thp, modes) || modes.find("[never]") != std::string::npos) {
    return;
  }
  char self[PATH_MAX];
  const ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0) return;
  self[n] = '\0';
  if (!tunables.empty()) tunables += ':';
  tunables += "glibc.malloc.hugetlb=1";
  // Also keeps a failed exec from being tried again by a child.
  if (setenv("GLIBC_TUNABLES", tunables.c_str(), 1) != 0) return;
  execv(self, argv);
}

}  // namespace ra
