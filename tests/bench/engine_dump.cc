// Prints what the engine finds in every document of a corpus folder, one
// line per finding (document, rule, severity, place, fingerprint, evidence,
// message) and one per document (stamp, counts, passage text digest), so
// that a performance change can be checked to change nothing:
//   engine_dump CORPUS_FOLDER > before.tsv  (then after.tsv; diff them)
// Same inputs as engine_bench (metadata: the document number only).
#include <iostream>

#include "check/checker.h"
#include "ingest/ingest.h"
#include "pack/pack.h"
#include "parse/parser.h"
#include "pipeline/pipeline.h"
#include "tests/bench/corpus_loader.h"
#include "util/sha256.h"
#include "xdoc/passage.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: engine_dump CORPUS_FOLDER\n";
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
