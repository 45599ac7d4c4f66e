// A tiny JSON reader for the labels file (one object per line): enough of
// JSON for clinton-dev-labels.jsonl, not a general library.
#ifndef RA_TESTS_SCORER_MINI_JSON_H_
#define RA_TESTS_SCORER_MINI_JSON_H_

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace ra::scorer {

struct Json {
  enum class Type { kNull, kBool, kNumber, kString, kArray, kObject };
  Type type = Type::kNull;
  bool boolean = false;
  double number = 0;
  std::string string;
  std::vector<Json> array;
  std::map<std::string, Json> object;

  bool is_null() const { return type == Type::kNull; }
  // Member `key` of an object; a null value when absent.
  const Json& operator[](const std::string& key) const;
};

// Parses one JSON value; false (with `error` set) on malformed input.
bool ParseJson(std::string_view text, Json* out, std::string* error);

}  // namespace ra::scorer

#endif  // RA_TESTS_SCORER_MINI_JSON_H_
