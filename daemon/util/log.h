// Minimal leveled logging to stderr, one event per line:
//   2026-11-28T02:21:36.123Z INFO audit doc=C05788291 findings=3
// Thread-safe. Debian's abseil has no absl/log; this stands in for it.
#ifndef RA_UTIL_LOG_H_
#define RA_UTIL_LOG_H_

#include <string>
#include <string_view>

#include "absl/strings/str_cat.h"

namespace ra {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3 };

// Messages below `level` are dropped. Default kInfo.
void SetLogLevel(LogLevel level);
void LogLine(LogLevel level, std::string_view message);

namespace log_internal {
// absl::StrCat does not take std::string_view in this abseil build.
template <typename T>
const T& Arg(const T& v) {
  return v;
}
inline absl::string_view Arg(std::string_view v) { return {v.data(), v.size()}; }
}  // namespace log_internal

template <typename... Args>
void LogInfo(const Args&... args) {
  LogLine(LogLevel::kInfo, absl::StrCat(log_internal::Arg(args)...));
}
template <typename... Args>
void LogWarning(const Args&... args) {
  LogLine(LogLevel::kWarning, absl::StrCat(log_internal::Arg(args)...));
}
// Lines written together: each is formatted as LogLine formats it, with
// the time it is added, and Flush (or the destructor) writes them all at
// once, so that a thread with many events in a row makes one write. Lines
// stay whole and in order. Not thread-safe.
class LogBatch {
 public:
  LogBatch() = default;
  LogBatch(const LogBatch&) = delete;
  LogBatch& operator=(const LogBatch&) = delete;
  ~LogBatch() { Flush(); }

  void Add(LogLevel level, std::string_view message);
  template <typename... Args>
  void Info(const Args&... args) {
    Add(LogLevel::kInfo, absl::StrCat(log_internal::Arg(args)...));
  }
  void Flush();

 private:
  std::string lines_;
};

template <typename... Args>
void LogError(const Args&... args) {
  LogLine(LogLevel::kError, absl::StrCat(log_internal::Arg(args)...));
}

}  // namespace ra

#endif  // RA_UTIL_LOG_H_
