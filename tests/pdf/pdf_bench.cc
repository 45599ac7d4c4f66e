// PDF audit benchmark: ingest -> parse -> check of one PDF, repeated;
// prints the median wall time. Not a test (speed targets are held here).
//   pdf_bench FILE.pdf [RUNS]
// Make a 200-page release with tests/pdf/make_pdfs.py --pages 200 FILE.pdf.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <sstream>
#include <vector>

#include "check/checker.h"
#include "ingest/ingest.h"
#include "parse/parser.h"
#include "parse/pdf_marks.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: pdf_bench FILE.pdf [RUNS]\n");
    return 2;
  }
  const int runs = argc > 2 ? std::max(1, std::atoi(argv[2])) : 3;
  std::ifstream in(argv[1], std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string bytes = ss.str();
  auto pack = ra::RulePack::LoadFolder(RA_RULES_DIR);
  if (!pack.ok()) {
    std::fprintf(stderr, "%s\n", pack.status().ToString().c_str());
    return 1;
  }
  std::vector<double> seconds, cpu;
  int pages = 0;
  size_t findings = 0;
  for (int i = 0; i < runs; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    const std::clock_t c0 = std::clock();
    auto doc_in = ra::IngestDocument(argv[1], bytes, "", ra::IngestOptions{});
    if (!doc_in.ok()) {
      std::fprintf(stderr, "%s\n", doc_in.status().ToString().c_str());
      return 1;
    }
    ra::Document doc =
        ra::ParseWithPdf(std::move(doc_in->text), std::move(doc_in->pdf), **pack);
    findings = ra::CheckDocument(doc, ra::ReleaseMetadata{}, **pack).size();
    seconds.push_back(std::chrono::duration<double>(
                          std::chrono::steady_clock::now() - t0).count());
    cpu.push_back(static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC);
    pages = doc.pdf.has_value() ? doc.pdf->page_count : doc.page_count();
  }
  std::sort(seconds.begin(), seconds.end());
  std::sort(cpu.begin(), cpu.end());
  // CPU time is what the document costs; wall time also shows how busy the
  // machine was.
  std::printf("pdf_bench: %s: %d pages, %zu findings; median CPU %.2f s, "
              "wall %.2f s over %d runs (wall min %.2f, max %.2f)\n",
              argv[1], pages, findings, cpu[cpu.size() / 2],
              seconds[seconds.size() / 2], runs, seconds.front(), seconds.back());
  return 0;
}
