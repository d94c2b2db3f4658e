#include "bench/point_encoder.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace mlcost::bench {
namespace {

TEST(PointEncoderTest, LogBatchIsValidJsonWithDistinctPoints) {
  PointEncoder encoder("run-1", "loss", 1'700'000'000'000);
  nlohmann::json body = nlohmann::json::parse(encoder.LogBatch(5, 3));
  EXPECT_EQ(body["run_id"], "run-1");
  ASSERT_EQ(body["metrics"].size(), 3u);
  for (int i = 0; i < 3; ++i) {
    const nlohmann::json& m = body["metrics"][i];
    EXPECT_EQ(m["key"], "loss");
    EXPECT_EQ(m["step"], 5 + i);
    EXPECT_EQ(m["timestamp"], 1'700'000'000'005 + i);
    EXPECT_EQ(m["value"].get<double>(), 5 + i + 0.5);
  }
}

TEST(PointEncoderTest, LogMetricIsOneFlatMetric) {
  PointEncoder encoder("r", "k\"q", 100);
  nlohmann::json body = nlohmann::json::parse(encoder.LogMetric(7));
  EXPECT_EQ(body, nlohmann::json::parse(
                      R"({"run_id":"r","key":"k\"q","value":7.5,"timestamp":107,"step":7})"));
}

TEST(PointEncoderTest, BufferIsReusedAcrossCalls) {
  PointEncoder encoder("r", "k", 0);
  std::string first(encoder.LogBatch(1, 1000));
  std::string second(encoder.LogBatch(1001, 2));
  EXPECT_GT(first.size(), second.size());
  EXPECT_EQ(nlohmann::json::parse(second)["metrics"][1]["step"], 1002);
}

}  // namespace
}  // namespace mlcost::bench
