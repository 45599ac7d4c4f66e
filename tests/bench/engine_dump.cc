// Prints what the engine finds in every document of a corpus folder, one
// line per finding (document, rule, severity, place, fingerprint, evidence,
// message) and one per document (stamp, counts, passage text digest), so
// that a performance change can be checked to change nothing:
//   engine_dump CORPUS_FOLDER > before.tsv  (then after.tsv; diff them)
// Same inputs as engine_bench (metadata: the document number only).
//   engine_dump --passages CORPUS_FOLDER
// prints instead one line per document with a digest of every field of the
// PassageDoc that xdoc::BuildPassage makes (what the live index holds).
#include <iostream>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "check/checker.h"
#include "ingest/ingest.h"
#include "pack/pack.h"
#include "parse/parser.h"
#include "pipeline/pipeline.h"
#include "tests/bench/corpus_loader.h"
#include "util/sha256.h"
#include "xdoc/passage.h"

namespace {

// Every field of `p`, one value after the other.
std::string Serialized(const ra::xdoc::PassageDoc& p) {
  std::string out = absl::StrCat(static_cast<int>(p.disposition), "|",
                                 absl::StrJoin(p.stamp_codes, ","), "|", p.text, "|");
  for (size_t i = 0; i < p.words.size(); ++i) {
    const ra::xdoc::Word& w = p.words[i];
    absl::StrAppend(&out, w.key, ",", w.offset, ",", p.WordSize(static_cast<int>(i)), ",",
                    w.column, ",", w.line, ",", w.optional_header, ",", w.bracketed_address,
                    ";");
  }
  for (const ra::xdoc::SiteMark& m : p.marks) {
    absl::StrAppend(&out, "M", m.word, ",", m.line, ",", m.column, ",", m.code, ",",
                    m.printed, ";");
  }
  for (const ra::xdoc::HeaderField& h : p.headers) {
    absl::StrAppend(&out, "H", h.word, ",", h.line, ",", std::string(1, h.field), ",",
                    h.value_key, ";");
  }
  for (const ra::xdoc::WithheldPageSite& w : p.withheld_pages) {
    absl::StrAppend(&out, "W", w.word, ",", w.page, ",", w.line, ",",
                    absl::StrJoin(w.codes, ","), ";");
  }
  absl::StrAppend(&out, "P", absl::StrJoin(p.page_first_lines, ","));
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  const bool passages = argc == 3 && std::string(argv[1]) == "--passages";
  if (passages) {
    --argc;
    ++argv;
  }
  if (argc != 2) {
    std::cerr << "usage: engine_dump [--passages] CORPUS_FOLDER\n";
    return 2;
  }
  auto pack = ra::RulePack::LoadFolder(RA_RULES_DIR);
  if (!pack.ok()) {
    std::cerr << "engine_dump: " << pack.status() << "\n";
    return 2;
  }
  for (const ra::bench::LoadedDocument& d : ra::bench::LoadCorpus(argv[1])) {
    auto text = ra::IngestText(d.file, d.bytes, ra::IngestOptions{});
    if (!text.ok()) {
      std::cout << d.file << "\trejected\t" << text.status() << "\n";
      continue;
    }
    const ra::Document doc = ra::Parse(std::move(text->text), **pack);
    if (passages) {
      std::string passage_text;
      absl::StatusOr<ra::xdoc::PassageDoc> built = ra::xdoc::BuildPassage(doc, &passage_text);
      std::cout << d.file << "\tpassage\t"
                << (built.ok() ? ra::Sha256Hex(Serialized(*built)) : built.status().ToString())
                << "\t" << ra::Sha256Hex(passage_text) << "\n";
      continue;
    }
    ra::ReleaseMetadata md;
    md.doc_number = ra::FileStem(d.file);
    std::cout << d.file << "\tdoc\t" << text->sha256 << "\t"
              << static_cast<int>(doc.stamp.disposition) << "\t" << doc.marks.size()
              << "\t" << doc.stamp.codes.size() << "\t" << doc.page_headers.size() << "\t"
              << ra::Sha256Hex(ra::xdoc::PassageText(doc)) << "\n";
    for (const ra::Finding& f : ra::CheckDocument(doc, md, **pack)) {
      std::cout << d.file << "\t" << f.rule_id << "\t" << static_cast<int>(f.severity) << "\t"
                << f.page << ":" << f.line << ":" << f.column << "+" << f.length << "\t"
                << f.fingerprint << "\t" << f.evidence << "\t" << f.message << "\n";
    }
  }
  return 0;
}
