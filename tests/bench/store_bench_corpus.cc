// The store's share of a batch stream, on real records: every document of a
// corpus folder goes through the daemon's stages in process, in file order,
// on one thread (Pipeline::Prepare, CrossCheck in groups of 64, Record in
// groups of 256, as AuditDocuments groups them), and only Record (the
// committer's store call) and the destruction of its results are timed, in
// this thread's CPU time:
//   store_bench_corpus CORPUS_FOLDER DB_FOLDER [documents=all]
// CORPUS_FOLDER holds *.txt files and manifest.csv (the dev corpus
// unpacked); the store is DB_FOLDER/store_bench_corpus.sqlite, made anew.
#include <sys/resource.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "ingest/manifest.h"
#include "pack/pack.h"
#include "pipeline/pipeline.h"
#include "store/store.h"
#include "tests/bench/corpus_loader.h"
#include "xdoc/xdoc.h"

namespace ra {
namespace {

// This thread's CPU time so far: user and system seconds.
struct Cpu {
  double user = 0, sys = 0;
  Cpu& operator+=(const Cpu& o) {
    user += o.user;
    sys += o.sys;
    return *this;
  }
  Cpu operator-(const Cpu& o) const { return {user - o.user, sys - o.sys}; }
};

Cpu ThreadCpu() {
  rusage u{};
  getrusage(RUSAGE_THREAD, &u);
  auto secs = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return {secs(u.ru_utime), secs(u.ru_stime)};
}

int Run(const std::string& corpus, const std::string& dir, size_t limit) {
  std::ifstream in(corpus + "/manifest.csv", std::ios::binary);
  std::ostringstream csv;
  csv << in.rdbuf();
  absl::StatusOr<Manifest> manifest = Manifest::Parse(csv.str(), "manifest.csv");
  if (!manifest.ok()) {
    std::cerr << manifest.status() << "\n";
    return 2;
  }
  absl::StatusOr<std::shared_ptr<const RulePack>> pack =
      RulePack::LoadFolder(RA_RULES_DIR);
  if (!pack.ok()) {
    std::cerr << pack.status() << "\n";
    return 2;
  }
  const std::string path = dir + "/store_bench_corpus.sqlite";
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::remove((path + suffix).c_str());
  }
  absl::StatusOr<std::unique_ptr<Store>> store = Store::Open(path);
  if (!store.ok()) {
    std::cerr << store.status() << "\n";
    return 2;
  }
  PackHolder packs(*pack);
  xdoc::PassageIndex index;
  Pipeline pipeline(&packs, store->get(), PipelineOptions{}, &index);

  std::vector<bench::LoadedDocument> docs = bench::LoadCorpus(corpus);
  if (docs.size() > limit) docs.resize(limit);
  Cpu record_cpu, free_cpu;
  int64_t stored = 0, failed = 0, findings = 0, groups = 0;
  constexpr size_t kCheck = 64, kCommit = 256;
  std::vector<PreparedAudit> group;
  auto record = [&] {
    // Cross-checked as the cross-checker thread does: 64 at a time.
    for (size_t at = 0; at < group.size(); at += kCheck) {
      std::vector<PreparedAudit> part;
      const size_t end = std::min(group.size(), at + kCheck);
      for (size_t i = at; i < end; ++i) part.push_back(std::move(group[i]));
      pipeline.CrossCheck(part);
      for (size_t i = at; i < end; ++i) group[i] = std::move(part[i - at]);
    }
    Cpu t = ThreadCpu();
    std::vector<absl::StatusOr<AuditResult>> out = pipeline.Record(group);
    record_cpu += ThreadCpu() - t;
    for (const auto& r : out) {
      if (!r.ok()) {
        if (++failed == 1) std::cerr << r.status() << "\n";
        continue;
      }
      ++stored;
      findings += static_cast<int64_t>(r->stored.findings.size());
    }
    ++groups;
    t = ThreadCpu();
    out.clear();
    group.clear();
    free_cpu += ThreadCpu() - t;
  };
  for (bench::LoadedDocument& d : docs) {
    Submission s;
    s.file_name = d.file;
    const std::string stem = std::filesystem::path(d.file).stem().string();
    if (const ManifestRow* row = manifest->Find(d.file, stem)) {
      s.metadata = row->metadata;
    }
    s.content = std::move(d.bytes);
    absl::StatusOr<PreparedAudit> p = pipeline.Prepare(std::move(s));
    if (!p.ok()) {
      ++failed;
      continue;
    }
    group.push_back(*std::move(p));
    if (group.size() == kCommit) record();
  }
  if (!group.empty()) record();
  std::cout << "stored " << stored << " documents (" << failed << " failed), "
            << findings << " findings, in " << groups << " groups\n"
            << "Pipeline::Record CPU " << record_cpu.user + record_cpu.sys
            << " s (user " << record_cpu.user << ", sys " << record_cpu.sys
            << "), freeing the results " << free_cpu.user + free_cpu.sys << " s\n";
  return failed == 0 ? 0 : 1;
}

}  // namespace
}  // namespace ra

int main(int argc, char** argv) {
  if (argc != 3 && argc != 4) {
    std::cerr << "usage: store_bench_corpus CORPUS_FOLDER DB_FOLDER [documents]\n";
    return 2;
  }
  const size_t limit = argc == 4 ? std::strtoul(argv[3], nullptr, 10) : SIZE_MAX;
  return ra::Run(argv[1], argv[2], limit);
}
