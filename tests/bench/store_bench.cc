// Store throughput and query latency on a real SQLite file:
//   store_bench DB_FOLDER [documents=50000] [findings_per_document=20]
// 1. records `documents` audits (group commits of 64) and prints audits/s;
// 2. times ListFindings pages (first and deep) for common filters over the
//    resulting store: p50/p99 over 200 queries each.
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <random>

#include "absl/strings/str_cat.h"
#include "store/store.h"

namespace ra {
namespace {

using Clock = std::chrono::steady_clock;

double Ms(Clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

Finding MakeFinding(int i, int n) {
  static const char* kRules[] = {"stamp.code-not-marked", "mark.code-not-stamped",
                                 "mark.unknown-code", "metadata.case-number-mismatch"};
  Finding f;
  f.rule_id = n % 1000 == 7 ? "stamp.part-without-codes" : kRules[n % 4];
  f.severity = n % 20 == 0 ? Severity::kError : n % 2 ? Severity::kWarning : Severity::kInfo;
  f.message = "benchmark finding";
  f.page = 1;
  f.line = i + 1;
  f.evidence = "B6";
  f.fingerprint = absl::StrCat("fp", i);
  return f;
}

int Run(const std::string& dir, int documents, int per_doc) {
  const std::string path = dir + "/store_bench.sqlite";
  std::remove(path.c_str());
  auto store = Store::Open(path);
  if (!store.ok()) {
    std::cerr << store.status() << "\n";
    return 1;
  }
  int n = 0;
  const auto start = Clock::now();
  // Recorded in groups of 64, as the daemon's batch stream commits them.
  std::vector<AuditRecord> group;
  auto flush = [&]() -> bool {
    std::vector<AuditRecord*> ptrs;
    for (AuditRecord& r : group) ptrs.push_back(&r);
    for (const auto& out : (*store)->RecordAudits(ptrs)) {
      if (!out.ok()) {
        std::cerr << out.status() << "\n";
        return false;
      }
    }
    group.clear();
    return true;
  };
  for (int d = 0; d < documents; ++d) {
    AuditRecord r;
    r.metadata.case_number = d % 2 ? "F-2014-20439" : "F-2015-04841";
    r.metadata.doc_number = absl::StrCat("C", 10000000 + d);
    r.metadata.release = absl::StrCat("R", d % 10);
    r.file_name = r.metadata.doc_number + ".txt";
    r.sha256 = absl::StrCat("sha", d);
    r.pack_version = "bench@1";
    for (int i = 0; i < per_doc; ++i) r.findings.push_back(MakeFinding(i, n++));
    group.push_back(std::move(r));
    if (group.size() == 64 && !flush()) return 1;
  }
  if (!flush()) return 1;
  const double secs = Ms(Clock::now() - start) / 1000;
  std::cout << "recorded " << documents << " audits, " << n << " findings in " << secs
            << " s: " << documents / secs << " audits/s\n";

  struct Query {
    const char* name;
    FindingFilter filter;
  };
  std::vector<Query> queries(6);
  queries[0].name = "no filter";
  queries[1].name = "case";
  queries[1].filter.case_number = "F-2014-20439";
  queries[2].name = "case+rule(rare)";
  queries[2].filter.case_number = "F-2014-20439";
  queries[2].filter.rule_id = "stamp.part-without-codes";
  queries[3].name = "case+min error";
  queries[3].filter.case_number = "F-2014-20439";
  queries[3].filter.min_severity = Severity::kError;
  queries[4].name = "release+status open";
  queries[4].filter.release = "R3";
  queries[4].filter.status = FindingStatus::kOpen;
  queries[5].name = "document";
  queries[5].filter.doc_number = "C10004242";
  std::mt19937 rng(1);
  for (Query& q : queries) {
    std::vector<double> ms;
    for (int i = 0; i < 200; ++i) {
      q.filter.after_id = i % 2 ? std::uniform_int_distribution<int64_t>(0, n)(rng) : 0;
      q.filter.limit = 100;
      const auto t = Clock::now();
      auto got = (*store)->ListFindings(q.filter);
      ms.push_back(Ms(Clock::now() - t));
      if (!got.ok()) {
        std::cerr << got.status() << "\n";
        return 1;
      }
    }
    std::sort(ms.begin(), ms.end());
    std::cout << "ListFindings " << q.name << ": p50 " << ms[ms.size() / 2] << " ms, p99 "
              << ms[ms.size() * 99 / 100] << " ms\n";
  }
  return 0;
}

}  // namespace
}  // namespace ra

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: store_bench DB_FOLDER [documents] [findings_per_document]\n";
    return 2;
  }
  const int documents = argc > 2 ? std::atoi(argv[2]) : 50000;
  const int per_doc = argc > 3 ? std::atoi(argv[3]) : 20;
  return ra::Run(argv[1], documents, per_doc);
}
