// Prints what the engine finds in every document of a corpus folder, one
// line per finding (document, rule, severity, place, fingerprint, evidence,
// message) and one per document (stamp, counts, passage text digest), so
// that a performance change can be checked to change nothing:
//   engine_dump CORPUS_FOLDER > before.tsv  (then after.tsv; diff them)
// Same inputs as engine_bench (metadata: the document number only).
//   engine_dump --passages CORPUS_FOLDER
// prints instead one line per document with a digest of every field of the
// PassageDoc that xdoc::BuildPassage makes (what the live index holds).
//   engine_dump --documents [RULES_DIR] CORPUS_FOLDER
// prints one line per document with a digest of every field of the parsed
// Document (a parser change must leave it unchanged), with the rules of
// RULES_DIR (default rules/state): other packs read other dialects.
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

void AppendMark(const ra::Mark& m, std::string* out) {
  absl::StrAppend(out, m.page, ",", m.line, ",", m.column, ",", m.length, ",", m.code, ",",
                  m.printed, ",", m.qualifier, ",", m.ocr_variant, ",", m.suggestion, ";");
}

// Every field the parser sets in `d`, one value after the other.
std::string Serialized(const ra::Document& d) {
  std::string out = absl::StrCat(d.lines.size(), "|");
  for (const ra::Page& p : d.pages) {
    absl::StrAppend(&out, p.number, ",", p.first_line, ",", p.last_line, ";");
  }
  absl::StrAppend(&out, "|S", static_cast<int>(d.stamp.disposition), ",", d.stamp.line, ":");
  for (const ra::Mark& m : d.stamp.codes) AppendMark(m, &out);
  absl::StrAppend(&out, "|M");
  for (const ra::Mark& m : d.marks) AppendMark(m, &out);
  absl::StrAppend(&out, "|H");
  for (const ra::PageHeader& h : d.page_headers) {
    absl::StrAppend(&out, h.page, ",", h.line, ",", h.case_number, ",", h.doc_number, ",",
                    h.release_date, ";");
  }
  if (d.classification.has_value()) {
    const ra::Classification& c = *d.classification;
    absl::StrAppend(&out, "|C", c.line, ",", c.level, ",", absl::StrJoin(c.reasons, "/"), ",",
                    c.declassify_on, ",", c.classified_by, ",", c.classified_on);
  }
  absl::StrAppend(&out, "|E");
  for (const ra::EmailHeader& e : d.email_headers) {
    absl::StrAppend(&out, e.line, ",", e.field, ",", e.value, ";");
  }
  absl::StrAppend(&out, "|W");
  for (const ra::WithheldPage& w : d.withheld_pages) {
    absl::StrAppend(&out, w.line, ",", w.page_number, ",", w.duplicate, ",", w.duplicate_of,
                    ",", w.other_reason, ":");
    for (const ra::Mark& m : w.codes) AppendMark(m, &out);
  }
  absl::StrAppend(&out, "|N", absl::StrJoin(d.case_numbers, "/"), ",",
                  absl::StrJoin(d.doc_numbers, "/"), ",", absl::StrJoin(d.release_dates, "/"));
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  const bool passages = argc == 3 && std::string(argv[1]) == "--passages";
  const bool documents = argc >= 3 && std::string(argv[1]) == "--documents";
  std::string rules = RA_RULES_DIR;
  if (passages || documents) {
    --argc;
    ++argv;
  }
  if (documents && argc == 3) {
    rules = argv[1];
    --argc;
    ++argv;
  }
  if (argc != 2) {
    std::cerr << "usage: engine_dump [--passages | --documents [RULES_DIR]] CORPUS_FOLDER\n";
    return 2;
  }
  auto pack = ra::RulePack::LoadFolder(rules);
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
    if (documents) {
      std::cout << d.file << "\tdocument\t" << ra::Sha256Hex(Serialized(doc)) << "\n";
      continue;
    }
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
