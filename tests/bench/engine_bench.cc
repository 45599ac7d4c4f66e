// Engine throughput on one core: ingest + parse + per-document checks over
// every document of a corpus folder held in memory (Google Benchmark).
//   engine_bench CORPUS_FOLDER [--benchmark_repetitions=5 ...]
// The folder is an unpacked dev corpus (tests/corpus/unpack.sh). Reports
// bytes/s (MB/s) and documents/s. BM_Prepare is a stream worker's work per
// document (Pipeline::Prepare: the same plus the passage text and its
// read-back for the index), on a store and an index it does not write.
// BM_IngestOnly and BM_CheckOnly time one stage alone (CheckOnly on
// documents parsed before the timed loop, so their text is no longer in
// the CPU's caches, as it is right after parsing).
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "check/checker.h"
#include "ingest/ingest.h"
#include "pack/pack.h"
#include "parse/parser.h"
#include "pipeline/pipeline.h"
#include "store/store.h"
#include "xdoc/xdoc.h"
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

// IngestText alone: the copy a request's bytes arrive as, the checks of
// the bytes (NUL, UTF-8) and the digest.
void BM_IngestOnly(benchmark::State& state) {
  int64_t bytes = 0;
  for (auto _ : state) {
    for (const bench::LoadedDocument& d : *g_docs) {
      auto text = IngestText(d.file, d.bytes, IngestOptions{});
      if (!text.ok()) state.SkipWithError(std::string(text.status().message()).c_str());
      benchmark::DoNotOptimize(text->text.data());
      bytes += static_cast<int64_t>(d.bytes.size());
    }
  }
  state.SetBytesProcessed(bytes);
}
BENCHMARK(BM_IngestOnly)->Unit(benchmark::kMillisecond);

// CheckDocument alone, on documents parsed once before the timed loop.
void BM_CheckOnly(benchmark::State& state) {
  std::vector<Document> parsed;
  std::vector<ReleaseMetadata> metadata;
  parsed.reserve(g_docs->size());
  for (const bench::LoadedDocument& d : *g_docs) {
    parsed.push_back(Parse(d.bytes, *g_pack));
    ReleaseMetadata& md = metadata.emplace_back();
    md.doc_number = FileStem(d.file);
  }
  int64_t bytes = 0, docs = 0;
  for (auto _ : state) {
    for (size_t i = 0; i < parsed.size(); ++i) {
      std::vector<Finding> findings = CheckDocument(parsed[i], metadata[i], *g_pack);
      benchmark::DoNotOptimize(findings.data());
      bytes += static_cast<int64_t>((*g_docs)[i].bytes.size());
      ++docs;
    }
  }
  state.SetBytesProcessed(bytes);
  state.SetItemsProcessed(docs);
}
BENCHMARK(BM_CheckOnly)->Unit(benchmark::kMillisecond);

void BM_Prepare(benchmark::State& state) {
  const std::string dir =
      (std::filesystem::temp_directory_path() /
       ("engine_bench." + std::to_string(getpid())))
          .string();
  std::filesystem::create_directories(dir);
  auto store = Store::Open(dir + "/audit.sqlite");
  if (!store.ok()) {
    state.SkipWithError(std::string(store.status().message()).c_str());
    return;
  }
  PackHolder packs(g_pack);
  xdoc::PassageIndex index;
  Pipeline pipeline(&packs, store->get(), PipelineOptions{}, &index);
  int64_t bytes = 0, docs = 0;
  for (auto _ : state) {
    for (const bench::LoadedDocument& d : *g_docs) {
      Submission s;
      s.metadata.case_number = "F-2014-20439";
      s.file_name = d.file;
      s.content = d.bytes;  // as the service copies it from the request
      absl::StatusOr<PreparedAudit> p = pipeline.Prepare(std::move(s));
      if (!p.ok()) state.SkipWithError(std::string(p.status().message()).c_str());
      benchmark::DoNotOptimize(p->passage.has_value());
      bytes += static_cast<int64_t>(d.bytes.size());
      ++docs;
    }
  }
  state.SetBytesProcessed(bytes);
  state.SetItemsProcessed(docs);
  store->reset();
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_Prepare)->Unit(benchmark::kMillisecond);

// The passage part of BM_Prepare alone: xdoc::BuildPassage (the passage
// text and its read-back) of every document, parsed once beforehand.
void BM_BuildPassage(benchmark::State& state) {
  std::vector<Document> parsed;
  parsed.reserve(g_docs->size());
  for (const bench::LoadedDocument& d : *g_docs) {
    parsed.push_back(Parse(d.bytes, *g_pack));
  }
  int64_t bytes = 0;
  std::string text;
  for (auto _ : state) {
    for (const Document& doc : parsed) {
      absl::StatusOr<xdoc::PassageDoc> p = xdoc::BuildPassage(doc, &text);
      if (!p.ok()) state.SkipWithError(std::string(p.status().message()).c_str());
      benchmark::DoNotOptimize(p->words.data());
      bytes += static_cast<int64_t>(doc.text.size());
    }
  }
  state.SetBytesProcessed(bytes);
}
BENCHMARK(BM_BuildPassage)->Unit(benchmark::kMillisecond);

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
