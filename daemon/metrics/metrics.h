// metrics: counters and histograms for the daemon, rendered in the
// Prometheus text exposition format (version 0.0.4). Thread-safe; the hot
// path (Add/Observe on a series already seen) is a few relaxed atomic adds
// plus, for labelled families, one shared (reader) lock and a hash lookup.
// Depends on nothing but abseil: no gRPC, no store.
#ifndef RA_METRICS_METRICS_H_
#define RA_METRICS_METRICS_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace ra::metrics {

// A monotonically increasing count.
class Counter {
 public:
  void Add(uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  uint64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> value_{0};
};

// Counts of observations at or below each upper bound (seconds), their sum
// and their number. The sum is kept in nanoseconds so it is one atomic add.
class Histogram {
 public:
  // `bounds` ascending; +Inf is implicit.
  explicit Histogram(std::vector<double> bounds);
  void Observe(absl::Duration d);
  const std::vector<double>& bounds() const { return bounds_; }
  // Cumulative count for bounds()[i]; i == bounds().size() is +Inf.
  uint64_t cumulative(size_t i) const;
  uint64_t count() const { return count_.load(std::memory_order_relaxed); }
  double sum_seconds() const;

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> buckets_;  // not cumulative
  std::atomic<uint64_t> count_{0};
  std::atomic<int64_t> sum_nanos_{0};
};

// Latency buckets from 0.5 ms to 30 s.
std::vector<double> LatencyBounds();

// A named metric with label names; one series per distinct label values.
// Series are created on first use and live as long as the family, so the
// references returned stay valid.
template <typename T>
class Family {
 public:
  Family(std::string name, std::string help, std::vector<std::string> labels,
         std::vector<double> bounds = {})
      : name_(std::move(name)),
        help_(std::move(help)),
        labels_(std::move(labels)),
        bounds_(std::move(bounds)) {}

  // `values` in the order of the label names given to the constructor.
  T& With(const std::vector<std::string>& values);

  const std::string& name() const { return name_; }
  const std::string& help() const { return help_; }
  const std::vector<std::string>& labels() const { return labels_; }
  // (label values, series), sorted by label values.
  std::vector<std::pair<std::vector<std::string>, const T*>> Series() const;

 private:
  T* Make();

  const std::string name_, help_;
  const std::vector<std::string> labels_;
  const std::vector<double> bounds_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::vector<std::string>, std::unique_ptr<T>> series_
      ABSL_GUARDED_BY(mu_);
};

using CounterFamily = Family<Counter>;
using HistogramFamily = Family<Histogram>;

// The text exposition of the families, in the order given: "# HELP" and
// "# TYPE" lines, then one line per series (histograms: _bucket{le=...}
// cumulative, _sum, _count). Label values are escaped (\\, \", \n).
std::string Render(const std::vector<const CounterFamily*>& counters,
                   const std::vector<const HistogramFamily*>& histograms);

// The daemon's metrics (see README "Observability").
struct DaemonMetrics {
  DaemonMetrics();
  // Documents audited, by whether the version was new or already stored.
  CounterFamily documents_audited;
  // Findings of newly stored versions, by rule and severity.
  CounterFamily findings;
  // gRPC calls finished, by method and status code; latency by method.
  CounterFamily rpcs;
  HistogramFamily rpc_latency;
  // Store write transactions (one per audit or per group commit).
  HistogramFamily store_write;
  // Errors by kind: rejected documents and failed rpcs by status code,
  // store write failures.
  CounterFamily errors;

  std::string Render() const;
};

}  // namespace ra::metrics

#endif  // RA_METRICS_METRICS_H_
