#include "util/log.h"

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <string>

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace ra {
namespace {
std::atomic<int> g_level{static_cast<int>(LogLevel::kInfo)};
std::mutex g_mu;

const char* LevelName(LogLevel l) {
  switch (l) {
    case LogLevel::kDebug:
      return "DEBUG";
    case LogLevel::kInfo:
      return "INFO";
    case LogLevel::kWarning:
      return "WARN";
    case LogLevel::kError:
      return "ERROR";
  }
  return "INFO";
}
}  // namespace

void SetLogLevel(LogLevel level) { g_level = static_cast<int>(level); }

namespace {

// "2026-11-28T02:21:36.123Z": the part up to the second is formatted once
// a second per thread (absl::FormatTime is most of a line's cost).
void AppendTime(absl::Time now, std::string* out) {
  thread_local int64_t second = INT64_MIN;
  thread_local std::string prefix;
  // Milliseconds and seconds rounded down, as %E3S prints them.
  const int64_t micros = absl::ToUnixMicros(now);
  const int64_t total_ms = micros >= 0 ? micros / 1000 : -((999 - micros) / 1000);
  const int64_t s = total_ms >= 0 ? total_ms / 1000 : -((999 - total_ms) / 1000);
  const int64_t ms = total_ms - s * 1000;
  if (s != second) {
    prefix = absl::FormatTime("%Y-%m-%dT%H:%M:%S", absl::FromUnixSeconds(s),
                              absl::UTCTimeZone());
    second = s;
  }
  out->append(prefix);
  const char millis[] = {'.', static_cast<char>('0' + ms / 100),
                         static_cast<char>('0' + ms / 10 % 10),
                         static_cast<char>('0' + ms % 10), 'Z', ' '};
  out->append(millis, sizeof(millis));
}

void AppendLine(LogLevel level, std::string_view message, std::string* out) {
  AppendTime(absl::Now(), out);
  out->append(LevelName(level));
  out->push_back(' ');
  // One event per line: line breaks inside a message (a file name, an
  // error text) are written as \n and \r.
  for (char c : message) {
    if (c == '\n') {
      out->append("\\n");
    } else if (c == '\r') {
      out->append("\\r");
    } else {
      out->push_back(c);
    }
  }
  out->push_back('\n');
}

void Write(const std::string& lines) {
  if (lines.empty()) return;
  std::lock_guard<std::mutex> lock(g_mu);
  std::fwrite(lines.data(), 1, lines.size(), stderr);
  std::fflush(stderr);
}

}  // namespace

void LogLine(LogLevel level, std::string_view message) {
  if (static_cast<int>(level) < g_level.load()) return;
  std::string line;
  AppendLine(level, message, &line);
  Write(line);
}

void LogBatch::Add(LogLevel level, std::string_view message) {
  if (static_cast<int>(level) < g_level.load()) return;
  AppendLine(level, message, &lines_);
}

void LogBatch::Flush() {
  Write(lines_);
  lines_.clear();
}

}  // namespace ra
