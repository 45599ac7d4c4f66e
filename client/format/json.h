// A small JSON writer for the CLI's machine-readable output (JSON Lines).
#ifndef RA_CLIENT_FORMAT_JSON_H_
#define RA_CLIENT_FORMAT_JSON_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ra::cli {

// `s` as a quoted JSON string; invalid UTF-8 bytes become U+FFFD.
std::string JsonString(std::string_view s);

// Builds one JSON object: Field(...) calls in order, then str().
class JsonObject {
 public:
  JsonObject& Field(std::string_view key, std::string_view value);
  JsonObject& Field(std::string_view key, const char* value) {
    return Field(key, std::string_view(value));
  }
  JsonObject& Field(std::string_view key, int64_t value);
  JsonObject& Field(std::string_view key, int value) {
    return Field(key, static_cast<int64_t>(value));
  }
  JsonObject& Field(std::string_view key, bool value);
  JsonObject& Field(std::string_view key, const std::vector<std::string>& values);
  // `raw_json` must already be valid JSON (an object, array or null).
  JsonObject& Raw(std::string_view key, std::string_view raw_json);
  std::string str() const { return body_ + "}"; }

 private:
  void Key(std::string_view key);
  std::string body_ = "{";
};

}  // namespace ra::cli

#endif  // RA_CLIENT_FORMAT_JSON_H_
