// parse_bench: parse throughput of the whole dev corpus held in memory, on
// one core. Every iteration parses every document (its text copied in, as
// Parse owns it); the figure is bytes_per_second.
//
//   parse_bench CORPUS_DIR [--rules DIR] [--benchmark_min_time=2]
//
// CORPUS_DIR is a folder of .txt documents (tests/corpus/unpack.sh unpacks
// the dev corpus into one).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "model/document.h"
#include "pack/pack.h"
#include "parse/parser.h"

namespace {

struct Corpus {
  std::vector<std::string> texts;
  size_t bytes = 0;
  std::shared_ptr<const ra::RulePack> pack;
};

Corpus* corpus = nullptr;

bool LoadCorpus(const std::string& root, const std::string& rules, Corpus* out) {
  auto pack = ra::RulePack::LoadFolder(rules);
  if (!pack.ok()) {
    std::fprintf(stderr, "rules: %s\n", pack.status().ToString().c_str());
    return false;
  }
  out->pack = *pack;
  std::error_code ec;
  std::vector<std::string> paths;
  for (const auto& e : std::filesystem::recursive_directory_iterator(root, ec)) {
    if (e.is_regular_file() && e.path().extension() == ".txt") paths.push_back(e.path().string());
  }
  if (ec || paths.empty()) {
    std::fprintf(stderr, "%s: no .txt documents%s%s\n", root.c_str(), ec ? ": " : "",
                 ec ? ec.message().c_str() : "");
    return false;
  }
  std::sort(paths.begin(), paths.end());
  for (const std::string& p : paths) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    out->texts.push_back(ss.str());
    out->bytes += out->texts.back().size();
  }
  return true;
}

void BM_ParseCorpus(benchmark::State& state) {
  size_t marks = 0;
  for (auto _ : state) {
    for (const std::string& text : corpus->texts) {
      const ra::Document doc = ra::Parse(text, *corpus->pack);
      marks += doc.marks.size();
      benchmark::DoNotOptimize(doc.stamp.disposition);
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(corpus->bytes));
  state.counters["documents"] = static_cast<double>(corpus->texts.size());
  state.counters["MB"] = static_cast<double>(corpus->bytes) / 1e6;
  state.counters["marks_per_pass"] =
      state.iterations() > 0 ? static_cast<double>(marks) / state.iterations() : 0;
}
BENCHMARK(BM_ParseCorpus)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime();

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  std::string root, rules = RA_DEFAULT_RULES_DIR;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--rules" && i + 1 < argc) {
      rules = argv[++i];
    } else if (root.empty() && a.rfind("--", 0) != 0) {
      root = a;
    } else {
      std::fprintf(stderr, "parse_bench: unexpected argument %s\n", a.c_str());
      return 2;
    }
  }
  if (root.empty()) {
    std::fprintf(stderr, "usage: parse_bench CORPUS_DIR [--rules DIR] [--benchmark_...]\n");
    return 2;
  }
  Corpus c;
  if (!LoadCorpus(root, rules, &c)) return 2;
  corpus = &c;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
