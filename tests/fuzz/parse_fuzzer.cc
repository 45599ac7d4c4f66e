// libFuzzer target: released-document text through ingest and the parser.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "ingest/ingest.h"
#include "pack/pack.h"
#include "parse/parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::shared_ptr<const ra::RulePack> pack = [] {
    auto loaded = ra::RulePack::LoadFolder(RA_RULES_DIR);
    if (!loaded.ok()) __builtin_trap();
    return *loaded;
  }();
  ra::IngestOptions options;
  auto text = ra::IngestText("fuzz.txt",
                             std::string(reinterpret_cast<const char*>(data), size),
                             options);
  if (!text.ok()) return 0;
  ra::Parse(std::move(text->text), *pack);
  return 0;
}
