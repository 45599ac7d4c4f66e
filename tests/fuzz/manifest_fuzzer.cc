// libFuzzer target: release manifest CSV parsing.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ingest/manifest.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto manifest = ra::Manifest::Parse(
      std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.csv");
  if (manifest.ok()) manifest->Find("a/b.txt", "C05788291");
  return 0;
}
