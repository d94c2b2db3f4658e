#include "api/log_batch_parser.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <limits>
#include <random>
#include <string>

#include <nlohmann/json.hpp>

namespace mlcost::api {
namespace {

TEST(FastParseLogBatchTest, ParsesTheClientShape) {
  auto req = FastParseLogBatch(R"( { "run_id" : "abc", "metrics": [
      {"key": "loss", "value": 0.25, "timestamp": 1700000000000, "step": 3},
      {"key": "acc", "value": "NaN", "timestamp": 5},
      {"key": "x", "value": "-Infinity", "timestamp": 0, "step": -2},
      {"key": "y", "value": -1.5e-3, "timestamp": 7, "step": 0}],
    "params": [{"key": "lr", "value": "0.1"}], "tags": [{"key": "t", "value": ""}] } )");
  ASSERT_TRUE(req.has_value());
  EXPECT_EQ(req->run_id, "abc");
  ASSERT_EQ(req->metrics.size(), 4u);
  EXPECT_EQ(req->metrics[0].key, "loss");
  EXPECT_EQ(req->metrics[0].value, 0.25);
  EXPECT_EQ(req->metrics[0].timestamp_ms, 1700000000000);
  EXPECT_EQ(req->metrics[0].step, 3);
  EXPECT_TRUE(std::isnan(req->metrics[1].value));
  EXPECT_EQ(req->metrics[1].step, 0);  // MLflow's default
  EXPECT_EQ(req->metrics[2].value, -std::numeric_limits<double>::infinity());
  EXPECT_EQ(req->metrics[2].step, -2);
  EXPECT_EQ(req->metrics[3].value, -1.5e-3);
  ASSERT_EQ(req->params.size(), 1u);
  EXPECT_EQ(req->params[0].key, "lr");
  EXPECT_EQ(req->params[0].value, "0.1");
  ASSERT_EQ(req->tags.size(), 1u);
  EXPECT_EQ(req->tags[0].value, "");
}

TEST(FastParseLogBatchTest, RunUuidStandsInForRunId) {
  auto req = FastParseLogBatch(R"({"run_uuid": "u1", "metrics": []})");
  ASSERT_TRUE(req.has_value());
  EXPECT_EQ(req->run_id, "u1");
  EXPECT_TRUE(req->metrics.empty());
}

// Everything outside the subset goes to the general parser, which owns the error messages.
TEST(FastParseLogBatchTest, LeavesOtherShapesToTheGeneralParser) {
  const char* bodies[] = {
      "",
      "{}",                                                             // no run id
      "[]",
      R"({"run_id": "a", "metrics": [)",                                // truncated
      R"({"run_id": "a"} trailing)",
      R"({"run_id": "a\"b"})",                                          // escape
      "{\"run_id\": \"caf\xc3\xa9\"}",                                  // non-ASCII
      R"({"run_id": "a", "metrics": [{"key": "k", "value": 1}]})",      // no timestamp
      R"({"run_id": "a", "metrics": [{"key": "k", "value": true, "timestamp": 1}]})",
      R"({"run_id": "a", "metrics": [{"key": "k", "value": "1.5", "timestamp": 1}]})",
      R"({"run_id": "a", "metrics": [{"key": "k", "value": 1, "timestamp": "1"}]})",
      R"({"run_id": "a", "metrics": [{"key": "k", "value": 1, "timestamp": 1.0}]})",
      R"({"run_id": "a", "metrics": [{"key": "k", "value": 1, "timestamp": 1, "step": null}]})",
      R"({"run_id": "a", "metrics": [{"key": "k", "value": 1e400, "timestamp": 1}]})",
      R"({"run_id": "a", "metrics": [{"key": "k", "value": 01, "timestamp": 1}]})",
      R"({"run_id": "a", "metrics": [{"key": "k", "value": 1, "timestamp": 99999999999999999999}]})",
      R"({"run_id": "a", "metrics": [{"key": "k", "value": 1, "timestamp": 1, "model_id": "m"}]})",
      R"({"run_id": "a", "metrics": [], "metrics": []})",               // repeated member
      R"({"run_id": "a", "params": [{"key": "k"}]})",                   // value missing
      R"({"run_id": "a", "dataset": 1})",                               // unknown member
      R"({"run_id": "a", "metrics": [{"key": "k", "value": NaN, "timestamp": 1}]})",  // bare NaN
  };
  for (const char* body : bodies) EXPECT_FALSE(FastParseLogBatch(body).has_value()) << body;
}

// Whatever the fast parser accepts, a full JSON parser reads the same way.
TEST(FastParseLogBatchTest, AgreesWithAFullJsonParserOnRandomBatches) {
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> value(-1e6, 1e6);
  for (int round = 0; round < 50; ++round) {
    std::string body = "{\"metrics\":[";
    int n = static_cast<int>(rng() % 200);
    for (int i = 0; i < n; ++i) {
      char buf[160];
      std::snprintf(buf, sizeof buf, "%s {\"step\": %lld, \"key\": \"m%d/x.y z\", \"timestamp\": %lld, \"value\": %.17g}",
                    i ? "," : "", static_cast<long long>(rng() % 100000) - 50, static_cast<int>(rng() % 7),
                    static_cast<long long>(rng() % 2000000000000), value(rng));
      body += buf;
    }
    body += "], \"run_id\": \"r" + std::to_string(round) + "\"}";
    auto fast = FastParseLogBatch(body);
    ASSERT_TRUE(fast.has_value()) << body;
    nlohmann::json full = nlohmann::json::parse(body);
    EXPECT_EQ(fast->run_id, full["run_id"].get<std::string>());
    ASSERT_EQ(fast->metrics.size(), full["metrics"].size());
    for (size_t i = 0; i < fast->metrics.size(); ++i) {
      const nlohmann::json& m = full["metrics"][i];
      EXPECT_EQ(fast->metrics[i].key, m["key"].get<std::string>());
      EXPECT_EQ(fast->metrics[i].value, m["value"].get<double>());
      EXPECT_EQ(fast->metrics[i].timestamp_ms, m["timestamp"].get<int64_t>());
      EXPECT_EQ(fast->metrics[i].step, m["step"].get<int64_t>());
    }
  }
}

}  // namespace
}  // namespace mlcost::api
