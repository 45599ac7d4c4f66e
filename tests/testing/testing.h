// Helpers shared by the unit and integration tests: fixture paths, file
// reading and absl::Status matchers (Debian's abseil has none).
#ifndef RA_TESTS_TESTING_TESTING_H_
#define RA_TESTS_TESTING_TESTING_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"

namespace ra::testing {

// Absolute path of `relative` inside the source tree.
std::string SourcePath(const std::string& relative);
// Absolute path of a committed fixture, tests/fixtures/`relative`.
std::string FixturePath(const std::string& relative);
// The file's bytes; fails the test (empty result) when unreadable.
std::string ReadFileOrDie(const std::string& path);
// Writes `text` to `dir`/`name` and returns that path; fails the test when
// the file cannot be written.
std::string WriteFile(const std::string& dir, const std::string& name,
                      const std::string& text);
// A fresh, empty temporary folder removed at process exit.
std::string MakeTempDir();
// The folder of the dev corpus (env RA_CORPUS_DIR), or empty when unset.
std::string CorpusDir();

inline const absl::Status& GetStatus(const absl::Status& s) { return s; }
template <typename T>
const absl::Status& GetStatus(const absl::StatusOr<T>& s) {
  return s.status();
}

MATCHER(IsOk, "is OK") {
  const absl::Status& s = GetStatus(arg);
  if (!s.ok()) *result_listener << s.ToString();
  return s.ok();
}

MATCHER_P(StatusIs, code,
          "has status code " + absl::StatusCodeToString(code)) {
  const absl::Status& s = GetStatus(arg);
  *result_listener << s.ToString();
  return s.code() == code;
}

MATCHER_P2(StatusIs, code, substring,
           "has status code " + absl::StatusCodeToString(code) +
               " and a message containing \"" + std::string(substring) + "\"") {
  const absl::Status& s = GetStatus(arg);
  *result_listener << s.ToString();
  return s.code() == code &&
         std::string(s.message()).find(substring) != std::string::npos;
}

}  // namespace ra::testing

#endif  // RA_TESTS_TESTING_TESTING_H_
