#include "metrics/metrics.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace ra::metrics {

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)),
      buckets_(new std::atomic<uint64_t>[bounds_.size() + 1]) {
  for (size_t i = 0; i <= bounds_.size(); ++i) buckets_[i].store(0);
}

void Histogram::Observe(absl::Duration d) {
  const double seconds = absl::ToDoubleSeconds(d);
  const size_t i = static_cast<size_t>(
      std::lower_bound(bounds_.begin(), bounds_.end(), seconds) - bounds_.begin());
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  sum_nanos_.fetch_add(absl::ToInt64Nanoseconds(d), std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
}

uint64_t Histogram::cumulative(size_t i) const {
  uint64_t total = 0;
  for (size_t k = 0; k <= i && k <= bounds_.size(); ++k) {
    total += buckets_[k].load(std::memory_order_relaxed);
  }
  return total;
}

double Histogram::sum_seconds() const {
  return static_cast<double>(sum_nanos_.load(std::memory_order_relaxed)) / 1e9;
}

std::vector<double> LatencyBounds() {
  return {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
          0.1,    0.25,  0.5,    1,     2.5,  5,     10,   30};
}

template <>
Counter* Family<Counter>::Make() {
  return new Counter();
}
template <>
Histogram* Family<Histogram>::Make() {
  return new Histogram(bounds_);
}

template <typename T>
T& Family<T>::With(const std::vector<std::string>& values) {
  {
    absl::ReaderMutexLock lock(&mu_);
    auto it = series_.find(values);
    if (it != series_.end()) return *it->second;
  }
  absl::MutexLock lock(&mu_);
  std::unique_ptr<T>& slot = series_[values];
  if (slot == nullptr) slot.reset(Make());
  return *slot;
}

template <typename T>
std::vector<std::pair<std::vector<std::string>, const T*>> Family<T>::Series()
    const {
  std::vector<std::pair<std::vector<std::string>, const T*>> out;
  {
    absl::ReaderMutexLock lock(&mu_);
    for (const auto& [values, series] : series_) {
      out.emplace_back(values, series.get());
    }
  }
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  return out;
}

template class Family<Counter>;
template class Family<Histogram>;

namespace {

std::string Escape(const std::string& value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

// {a="x",b="y"} plus an optional extra pair; "" without labels.
std::string Labels(const std::vector<std::string>& names,
                   const std::vector<std::string>& values,
                   const std::string& extra_name = "",
                   const std::string& extra_value = "") {
  std::string out;
  for (size_t i = 0; i < names.size() && i < values.size(); ++i) {
    absl::StrAppend(&out, out.empty() ? "" : ",", names[i], "=\"",
                    Escape(values[i]), "\"");
  }
  if (!extra_name.empty()) {
    absl::StrAppend(&out, out.empty() ? "" : ",", extra_name, "=\"",
                    extra_value, "\"");
  }
  return out.empty() ? out : absl::StrCat("{", out, "}");
}

// Bucket bounds as written ("0.0005", "2.5"); sums with enough digits.
std::string Bound(double v) { return absl::StrFormat("%g", v); }
std::string Number(double v) { return absl::StrFormat("%.9g", v); }

void Header(std::string& out, const std::string& name, const std::string& help,
            const char* type) {
  absl::StrAppend(&out, "# HELP ", name, " ", help, "\n# TYPE ", name, " ",
                  type, "\n");
}

}  // namespace

std::string Render(const std::vector<const CounterFamily*>& counters,
                   const std::vector<const HistogramFamily*>& histograms) {
  std::string out;
  for (const CounterFamily* f : counters) {
    Header(out, f->name(), f->help(), "counter");
    for (const auto& [values, c] : f->Series()) {
      absl::StrAppend(&out, f->name(), Labels(f->labels(), values), " ",
                      c->value(), "\n");
    }
  }
  for (const HistogramFamily* f : histograms) {
    Header(out, f->name(), f->help(), "histogram");
    for (const auto& [values, h] : f->Series()) {
      const std::vector<double>& bounds = h->bounds();
      for (size_t i = 0; i <= bounds.size(); ++i) {
        const std::string le =
            i < bounds.size() ? Bound(bounds[i]) : std::string("+Inf");
        absl::StrAppend(&out, f->name(), "_bucket",
                        Labels(f->labels(), values, "le", le), " ",
                        h->cumulative(i), "\n");
      }
      absl::StrAppend(&out, f->name(), "_sum", Labels(f->labels(), values), " ",
                      Number(h->sum_seconds()), "\n");
      absl::StrAppend(&out, f->name(), "_count", Labels(f->labels(), values),
                      " ", h->count(), "\n");
    }
  }
  return out;
}

DaemonMetrics::DaemonMetrics()
    : documents_audited("ra_documents_audited_total",
                        "Documents audited, by whether the version was new or "
                        "already stored.",
                        {"stored"}),
      findings("ra_findings_total",
               "Findings of newly stored document versions, by rule and "
               "severity.",
               {"rule", "severity"}),
      rpcs("ra_rpcs_total", "gRPC calls finished, by method and status code.",
           {"method", "code"}),
      rpc_latency("ra_rpc_duration_seconds",
                  "gRPC call latency from arrival to status, by method.",
                  {"method"}, LatencyBounds()),
      store_write("ra_store_write_seconds",
                  "Store write transactions (one per audit or per group "
                  "commit), wall time.",
                  {}, LatencyBounds()),
      errors("ra_errors_total",
             "Errors by kind (document_rejected, rpc_failed, store_write) and "
             "status code.",
             {"kind", "code"}) {}

std::string DaemonMetrics::Render() const {
  return metrics::Render({&documents_audited, &findings, &rpcs, &errors},
                         {&rpc_latency, &store_write});
}

}  // namespace ra::metrics
