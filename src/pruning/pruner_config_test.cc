#include "pruning/pruner_config.h"

#include <gtest/gtest.h>

namespace mlcost::pruning {
namespace {

using nlohmann::json;

Status ParseStatus(const std::string& text) {
  Result<PrunerConfig> c = ParsePrunerConfig(json::parse(text));
  return c.ok() ? Status::Ok() : c.status();
}

void ExpectError(const std::string& text, const std::string& needle) {
  Status s = ParseStatus(text);
  ASSERT_FALSE(s.ok()) << text;
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find(needle), std::string::npos) << s.message();
}

TEST(PrunerConfigTest, DefaultsAreOptunas) {
  Result<PrunerConfig> m = ParsePrunerConfig(json::parse(R"({"type":"median"})"));
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m.value().percentile, 50.0);
  EXPECT_EQ(m.value().n_startup_trials, 5);
  EXPECT_EQ(m.value().n_warmup_steps, 0);
  EXPECT_EQ(m.value().interval_steps, 1);
  EXPECT_EQ(m.value().n_min_trials, 1);
  Result<PrunerConfig> sh = ParsePrunerConfig(json::parse(R"({"type":"successive_halving"})"));
  ASSERT_TRUE(sh.ok());
  EXPECT_FALSE(sh.value().min_resource.has_value());  // "auto"
  EXPECT_EQ(sh.value().reduction_factor, 4);
  Result<PrunerConfig> hb = ParsePrunerConfig(json::parse(R"({"type":"hyperband"})"));
  ASSERT_TRUE(hb.ok());
  EXPECT_EQ(hb.value().min_resource, 1);
  EXPECT_FALSE(hb.value().max_resource.has_value());
  EXPECT_EQ(hb.value().reduction_factor, 3);
  Result<PrunerConfig> asha = ParsePrunerConfig(json::parse(R"({"type":"asha"})"));
  ASSERT_TRUE(asha.ok());
  EXPECT_EQ(asha.value().max_t, 100);
  EXPECT_EQ(asha.value().grace_period, 1);
  EXPECT_EQ(asha.value().asha_reduction_factor, 4);
}

TEST(PrunerConfigTest, OptunasValidationRules) {
  ExpectError(R"({"type":"percentile"})", "'percentile' is required");
  ExpectError(R"({"type":"percentile","params":{"percentile":101}})",
              "Percentile must be between 0 and 100 inclusive but got 101.");
  ExpectError(R"({"type":"median","params":{"n_startup_trials":-1}})",
              "Number of startup trials cannot be negative but got -1.");
  ExpectError(R"({"type":"median","params":{"n_warmup_steps":-1}})",
              "Number of warmup steps cannot be negative");
  ExpectError(R"({"type":"median","params":{"interval_steps":0}})",
              "Pruning interval steps must be at least 1 but got 0.");
  ExpectError(R"({"type":"median","params":{"n_min_trials":0}})",
              "Number of trials for pruning must be at least 1");
  ExpectError(R"({"type":"successive_halving","params":{"min_resource":0}})",
              "`min_resource` is 0, but must be either `min_resource >= 1` or 'auto'");
  ExpectError(R"({"type":"successive_halving","params":{"min_resource":"fast"}})",
              "'min_resource' must be an integer or \"auto\"");
  ExpectError(R"({"type":"successive_halving","params":{"reduction_factor":1}})",
              "`reduction_factor >= 2`");
  ExpectError(R"({"type":"successive_halving","params":{"min_early_stopping_rate":-1}})",
              "`min_early_stopping_rate >= 0`");
  ExpectError(R"({"type":"successive_halving","params":{"bootstrap_count":1}})",
              "bootstrap_count > 0 and min_resource == 'auto' are mutually incompatible");
  ExpectError(R"({"type":"hyperband","params":{"bootstrap_count":1}})",
              "bootstrap_count > 0 and max_resource == 'auto' are mutually incompatible");
  ExpectError(R"({"type":"hyperband","params":{"max_resource":"big"}})", "max_resource");
  ExpectError(R"({"type":"threshold"})", "Either lower or upper must be specified.");
  ExpectError(R"({"type":"threshold","params":{"lower":2,"upper":1}})",
              "lower should be smaller than upper.");
  ExpectError(R"({"type":"patient"})", "'patience' is required");
  ExpectError(R"({"type":"patient","params":{"patience":-1}})",
              "patience cannot be negative but got -1.");
  ExpectError(R"({"type":"patient","params":{"patience":1,"min_delta":-0.5}})",
              "min_delta cannot be negative but got -0.5.");
  ExpectError(R"({"type":"asha","params":{"grace_period":0}})", "grace_period must be positive!");
  ExpectError(R"({"type":"asha","params":{"max_t":5,"grace_period":10}})",
              "grace_period must be <= max_t!");
  ExpectError(R"({"type":"asha","params":{"reduction_factor":1}})", "Reduction Factor not valid!");
  ExpectError(R"({"type":"asha","params":{"brackets":2}})", "'brackets' must be 1");
}

TEST(PrunerConfigTest, BadShapes) {
  ExpectError(R"({"type":"random"})", "unknown pruner type 'random'");
  ExpectError(R"({"params":{}})", "needs \"type\"");
  ExpectError(R"({"type":"median","params":{"n_startup":3}})",
              "unknown parameter 'n_startup' for pruner 'median'");
  ExpectError(R"({"type":"median","params":{"n_startup_trials":2.5}})", "must be an integer");
  ExpectError(R"({"type":"median","params":{"n_startup_trials":true}})", "must be an integer");
  ExpectError(R"({"type":"median","wrapped":{"type":"median"}})", "only accepted by the patient");
  ExpectError(R"({"type":"patient","params":{"patience":1},"wrapped":{"type":"nope"}})",
              "wrapped pruner: unknown pruner type 'nope'");
  ExpectError(R"({"type":"median","extra":1})", "unknown pruner config field 'extra'");
  ExpectError(R"([1])", "must be a JSON object");
}

TEST(PrunerConfigTest, AshaAcceptsAndIgnoresTimeAttr) {
  EXPECT_TRUE(ParseStatus(R"({"type":"asha","params":{"time_attr":"training_iteration"}})").ok());
}

TEST(PrunerConfigTest, RoundTripsThroughJson) {
  Result<PrunerConfig> c = ParsePrunerConfig(json::parse(
      R"({"type":"patient","params":{"patience":2},"wrapped":{"type":"hyperband","params":{"max_resource":27}}})"));
  ASSERT_TRUE(c.ok());
  json j = PrunerConfigToJson(c.value());
  EXPECT_EQ(j["wrapped"]["params"]["max_resource"], 27);
  EXPECT_EQ(j["wrapped"]["params"]["reduction_factor"], 3);
  Result<PrunerConfig> again = ParsePrunerConfig(j);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(PrunerConfigToJson(again.value()), j);
}

}  // namespace
}  // namespace mlcost::pruning
