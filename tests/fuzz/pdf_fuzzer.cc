// libFuzzer target: PDF ingest (poppler text and rendering, qpdf
// annotations, metadata) then the parser, as the daemon runs them. Inputs
// that do not start with "%PDF-" get it prepended so every run reaches the
// PDF reader. Small page and render limits keep each run short.
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
  std::string bytes(reinterpret_cast<const char*>(data), size);
  if (bytes.rfind("%PDF-", 0) != 0) bytes.insert(0, "%PDF-1.4\n");
  ra::IngestOptions options;
  options.pdf.max_pages = 4;
  options.pdf.render_dpi = 18;
  options.pdf.max_render_pixels = 1e6;
  auto doc = ra::IngestDocument("fuzz.pdf", std::move(bytes), "application/pdf", options);
  if (!doc.ok()) return 0;
  ra::Parse(std::move(doc->text), *pack);
  return 0;
}
