// Engine throughput on one core: ingest + parse + per-document checks over
// every document of a corpus folder held in memory (Google Benchmark).
//   engine_bench CORPUS_FOLDER [--benchmark_repetitions=5 ...]
// The folder is an unpacked dev corpus (tests/corpus/unpack.sh). Reports
// bytes/s (MB/s) and documents/s.
#include <cstdlib>
#include <iostream>

#include "benchmark/benchmark.h"
#include "check/checker.h"
#include "ingest/ingest.h"
#include "pack/pack.h"
#include "parse/parser.h"
#include "pipeline/pipeline.h"
#include "tests/bench/corpus_loader.h"

namespace ra {
namespace {

std::vector<bench::LoadedDocument>* g_docs = nullptr;
std::shared_ptr<const RulePack> g_pack;

void BM_IngestParseCheck(benchmark::State& state) {
  int64_t bytes = 0, docs = 0;
  for (auto _ : state) {
    for (const bench::LoadedDocument& d : *g_docs) {
      auto text = IngestText(d.file, d.bytes, IngestOptions{});
      if (!text.ok()) state.SkipWithError(std::string(text.status().message()).c_str());
      Document doc = Parse(std::move(text->text), *g_pack);
      ReleaseMetadata md;
      md.doc_number = FileStem(d.file);
      std::vector<Finding> findings = CheckDocument(doc, md, *g_pack);
      benchmark::DoNotOptimize(findings.data());
      bytes += static_cast<int64_t>(d.bytes.size());
      ++docs;
    }
  }
  state.SetBytesProcessed(bytes);
  state.SetItemsProcessed(docs);
}
// Measured in CPU time of the benchmark thread: one core, robust to other
// load on a shared machine.
BENCHMARK(BM_IngestParseCheck)->Unit(benchmark::kMillisecond);

void BM_ParseOnly(benchmark::State& state) {
  int64_t bytes = 0;
  for (auto _ : state) {
    for (const bench::LoadedDocument& d : *g_docs) {
      Document doc = Parse(d.bytes, *g_pack);
      benchmark::DoNotOptimize(doc.marks.data());
      bytes += static_cast<int64_t>(d.bytes.size());
    }
  }
  state.SetBytesProcessed(bytes);
}
BENCHMARK(BM_ParseOnly)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace ra

int main(int argc, char** argv) {
  if (argc < 2 || argv[1][0] == '-') {
    std::cerr << "usage: engine_bench CORPUS_FOLDER [benchmark flags]\n";
    return 2;
  }
  std::vector<ra::bench::LoadedDocument> docs = ra::bench::LoadCorpus(argv[1]);
  auto pack = ra::RulePack::LoadFolder(RA_RULES_DIR);
  if (!pack.ok() || docs.empty()) {
    std::cerr << "engine_bench: " << (pack.ok() ? "no *.txt documents" : pack.status().ToString())
              << "\n";
    return 2;
  }
  ra::g_docs = &docs;
  ra::g_pack = *pack;
  int64_t total = 0;
  for (const auto& d : docs) total += d.bytes.size();
  std::cerr << "engine_bench: " << docs.size() << " documents, " << total / 1e6 << " MB\n";
  argv[1] = argv[0];
  ++argv;
  --argc;
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  return 0;
}
