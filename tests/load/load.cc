// Load test: N concurrent clients audit documents (each audit a new
// version) and review a finding of each result, for a fixed time, against a
// running daemon. Prints p50/p99 latency per rpc; exits 1 on any rpc error
// or when a review the daemon acknowledged is missing from the history.
//   load ADDRESS DB_PATH DOCS_DIR [SECONDS=60] [CLIENTS=16]
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "grpcpp/grpcpp.h"
#include "redaction_audit/v1/audit_service.grpc.pb.h"
#include "store/store.h"

namespace {

namespace v1 = ::redaction_audit::v1;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct Doc {
  std::string stem, content;
};

std::string ReadFile(const fs::path& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  std::string out;
  if (f == nullptr) return out;
  char buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof(buf), f)) > 0) out.append(buf, n);
  std::fclose(f);
  return out;
}

struct Stats {
  std::mutex mu;
  std::map<std::string, std::vector<double>> ms;  // rpc -> latencies
  std::map<std::string, std::string> first_error;
  std::atomic<int64_t> errors{0};
  void Add(const std::string& rpc, Clock::time_point start) {
    const double v = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    std::lock_guard<std::mutex> lock(mu);
    ms[rpc].push_back(v);
  }
  void Error(const std::string& rpc, const grpc::Status& s) {
    ++errors;
    std::lock_guard<std::mutex> lock(mu);
    first_error.emplace(rpc, s.error_message());
  }
};

double Percentile(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t i = std::min(v.size() - 1, static_cast<size_t>(p * (v.size() - 1) + 0.5));
  return v[i];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: load ADDRESS DB_PATH DOCS_DIR [SECONDS=60] [CLIENTS=16]\n");
    return 2;
  }
  const std::string address = argv[1], db_path = argv[2];
  const int seconds = argc > 4 ? std::atoi(argv[4]) : 60;
  const int clients = argc > 5 ? std::atoi(argv[5]) : 16;
  std::vector<Doc> docs;
  for (const auto& e : fs::recursive_directory_iterator(argv[3])) {
    if (e.path().extension() == ".txt") {
      docs.push_back({e.path().stem().string(), ReadFile(e.path())});
    }
  }
  std::sort(docs.begin(), docs.end(), [](const Doc& a, const Doc& b) { return a.stem < b.stem; });
  if (docs.empty()) {
    std::fprintf(stderr, "load: no .txt documents under %s\n", argv[3]);
    return 2;
  }
  Stats stats;
  // finding id -> reviews acknowledged, per client (each client its own case).
  std::vector<std::map<int64_t, int>> reviewed(clients);
  const auto stop_at = Clock::now() + std::chrono::seconds(seconds);
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      // One connection per client, like separate CLI processes.
      grpc::ChannelArguments args;
      args.SetMaxReceiveMessageSize(64 << 20);
      args.SetInt("ra.load.client", c);
      auto stub = v1::AuditService::NewStub(
          grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), args));
      const std::string reviewer = "load-client-" + std::to_string(c);
      int64_t round = 0;
      while (Clock::now() < stop_at) {
        const Doc& doc = docs[(c * 7 + round) % docs.size()];
        v1::AuditDocumentRequest request;
        request.mutable_metadata()->set_case_number("LOAD-" + std::to_string(c));
        request.mutable_metadata()->set_doc_number(doc.stem);
        request.set_file_name(doc.stem + ".txt");
        // A new version every round: the text plus a trailing line.
        request.set_content(doc.content + "\nload round " + std::to_string(round) + "\n");
        ++round;
        v1::AuditDocumentResponse audited;
        grpc::ClientContext actx;
        actx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
        auto t0 = Clock::now();
        grpc::Status s = stub->AuditDocument(&actx, request, &audited);
        if (!s.ok()) {
          stats.Error("AuditDocument", s);
          continue;
        }
        stats.Add("AuditDocument", t0);
        if (audited.findings_size() == 0) continue;
        const v1::Finding& f = audited.findings(round % audited.findings_size());
        v1::ReviewFindingRequest review;
        review.set_name(f.name());
        review.set_status(round % 2 ? v1::CONFIRMED : v1::FALSE_POSITIVE);
        review.set_reviewer(reviewer);
        v1::Finding after;
        grpc::ClientContext rctx;
        rctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
        t0 = Clock::now();
        s = stub->ReviewFinding(&rctx, review, &after);
        if (!s.ok()) {
          stats.Error("ReviewFinding", s);
          continue;
        }
        stats.Add("ReviewFinding", t0);
        ++reviewed[c][std::stoll(f.name().substr(f.name().rfind('/') + 1))];
        v1::ListFindingsRequest list;
        list.set_parent("cases/LOAD-" + std::to_string(c));
        list.set_page_size(50);
        v1::ListFindingsResponse listed;
        grpc::ClientContext lctx;
        t0 = Clock::now();
        s = stub->ListFindings(&lctx, list, &listed);
        if (!s.ok()) {
          stats.Error("ListFindings", s);
          continue;
        }
        stats.Add("ListFindings", t0);
      }
    });
  }
  for (auto& t : threads) t.join();

  std::printf("load: %d clients, %d s, address %s\n", clients, seconds, address.c_str());
  int64_t calls = 0;
  for (auto& [rpc, v] : stats.ms) {
    calls += v.size();
    std::printf("  %-14s calls=%zu p50_ms=%.2f p99_ms=%.2f max_ms=%.2f\n", rpc.c_str(),
                v.size(), Percentile(v, 0.50), Percentile(v, 0.99), Percentile(v, 1.0));
  }
  std::printf("  total calls=%lld (%.0f/s) errors=%lld\n", static_cast<long long>(calls),
              static_cast<double>(calls) / seconds, static_cast<long long>(stats.errors.load()));
  for (const auto& [rpc, message] : stats.first_error) {
    std::printf("  first %s error: %s\n", rpc.c_str(), message.c_str());
  }

  // Every acknowledged review is in its finding's history under its reviewer.
  auto store = ra::Store::Open(db_path);
  if (!store.ok()) {
    std::printf("load: cannot open %s: %s\n", db_path.c_str(),
                std::string(store.status().message()).c_str());
    return 1;
  }
  int64_t acknowledged = 0, recorded = 0;
  for (int c = 0; c < clients; ++c) {
    const std::string reviewer = "load-client-" + std::to_string(c);
    for (const auto& [id, n] : reviewed[c]) {
      acknowledged += n;
      auto history = (*store)->History(id);
      if (!history.ok()) continue;
      for (const auto& entry : *history) recorded += entry.reviewer == reviewer;
    }
  }
  std::printf("  reviews acknowledged=%lld recorded=%lld lost=%lld\n",
              static_cast<long long>(acknowledged), static_cast<long long>(recorded),
              static_cast<long long>(acknowledged - recorded));
  return (stats.errors > 0 || acknowledged != recorded || calls == 0) ? 1 : 0;
}
