#include "metrics/metrics.h"

#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ra::metrics {
namespace {

using ::testing::HasSubstr;

TEST(MetricsTest, CountersRenderWithHelpTypeAndEscapedLabels) {
  CounterFamily f("ra_test_total", "Things counted.", {"rule", "severity"});
  f.With({"b6.visible", "error"}).Add(2);
  f.With({"odd\"name\\x\n", "info"}).Add();
  const std::string text = Render({&f}, {});
  EXPECT_THAT(text, HasSubstr("# HELP ra_test_total Things counted.\n"
                              "# TYPE ra_test_total counter\n"));
  EXPECT_THAT(text, HasSubstr("ra_test_total{rule=\"b6.visible\",severity=\"error\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("ra_test_total{rule=\"odd\\\"name\\\\x\\n\",severity=\"info\"} 1\n"));
}

TEST(MetricsTest, HistogramBucketsAreCumulative) {
  HistogramFamily f("ra_latency_seconds", "Latency.", {"method"}, {0.01, 0.1, 1});
  Histogram& h = f.With({"Audit"});
  h.Observe(absl::Milliseconds(5));
  h.Observe(absl::Milliseconds(50));
  h.Observe(absl::Milliseconds(60));
  h.Observe(absl::Seconds(3));
  const std::string text = Render({}, {&f});
  EXPECT_THAT(text, HasSubstr("# TYPE ra_latency_seconds histogram\n"));
  EXPECT_THAT(text, HasSubstr("ra_latency_seconds_bucket{method=\"Audit\",le=\"0.01\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("ra_latency_seconds_bucket{method=\"Audit\",le=\"0.1\"} 3\n"));
  EXPECT_THAT(text, HasSubstr("ra_latency_seconds_bucket{method=\"Audit\",le=\"1\"} 3\n"));
  EXPECT_THAT(text, HasSubstr("ra_latency_seconds_bucket{method=\"Audit\",le=\"+Inf\"} 4\n"));
  EXPECT_THAT(text, HasSubstr("ra_latency_seconds_sum{method=\"Audit\"} 3.115\n"));
  EXPECT_THAT(text, HasSubstr("ra_latency_seconds_count{method=\"Audit\"} 4\n"));
}

TEST(MetricsTest, ConcurrentAddsAreAllCounted) {
  CounterFamily f("ra_n_total", "N.", {"k"});
  HistogramFamily h("ra_h_seconds", "H.", {}, LatencyBounds());
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10000; ++i) {
        f.With({i % 2 == 0 ? "even" : "odd"}).Add();
        h.With({}).Observe(absl::Microseconds(t));
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(f.With({"even"}).value(), 20000u);
  EXPECT_EQ(f.With({"odd"}).value(), 20000u);
  EXPECT_EQ(h.With({}).count(), 40000u);
}

TEST(MetricsTest, DaemonMetricsRenderEveryFamily) {
  DaemonMetrics m;
  m.documents_audited.With({"new"}).Add();
  const std::string text = m.Render();
  for (const char* name : {"ra_documents_audited_total", "ra_findings_total", "ra_rpcs_total",
                           "ra_errors_total", "ra_rpc_duration_seconds",
                           "ra_store_write_seconds"}) {
    EXPECT_THAT(text, HasSubstr(std::string("# TYPE ") + name)) << name;
  }
  EXPECT_THAT(text, HasSubstr("ra_documents_audited_total{stored=\"new\"} 1\n"));
}

}  // namespace
}  // namespace ra::metrics
