#include "pricing/run_cost.h"

#include <gtest/gtest.h>

#include <string>

#include "pricing/pricing_test_util.h"

namespace mlcost::pricing {
namespace {

Decimal D(const char* text) { return *Decimal::Parse(text); }

RunAttempt Attempt(int64_t start_ms, std::optional<int64_t> end_ms) {
  RunAttempt a;
  a.start_time_ms = start_ms;
  a.end_time_ms = end_ms;
  return a;
}

class RunCostTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Status s = catalog_.LoadSkyPilotCsv(testing::CatalogFile("aws_v8_vms.sample.csv"));
    ASSERT_TRUE(s.ok()) << s.ToString();
    s = catalog_.LoadSkyPilotCsv(testing::CatalogFile("gcp_v8_vms.sample.csv"));
    ASSERT_TRUE(s.ok()) << s.ToString();
  }
  PriceCatalog catalog_;
};

TEST_F(RunCostTest, HalfAnHourAtBuiltInPrice) {
  // p3.2xlarge is built in at 3.06/h: 1800 s cost exactly 1.53.
  RunCost c =
      ComputeRunCost(catalog_, {{"mlcost.instance_type", "p3.2xlarge"}, {"mlcost.region", "us-east-1"}},
                     {Attempt(1'000'000, 1'000'000 + 1'800'000)}, 9'999'999'999);
  ASSERT_TRUE(c.known) << c.reason;
  EXPECT_EQ(c.reason, "");
  EXPECT_EQ(c.billable_seconds, 1800);
  EXPECT_EQ(c.cost_so_far, D("1.53"));
  EXPECT_EQ(c.cost_so_far.ToString(), "1.53");
  EXPECT_EQ(c.quote.hourly_price, D("3.06"));
  EXPECT_EQ(c.quote.gpu_count, 1);
}

TEST_F(RunCostTest, SeveralAttemptsAndARunningOneRoundUpEachAttempt) {
  // 1000.5 s -> 1001, 600 s, running 1 ms -> 1 s: 1602 s at 12.24/h = 19608.48 / 3600 = 5.4468.
  std::vector<RunAttempt> attempts = {Attempt(0, 1'000'500), Attempt(2'000'000, 2'600'000),
                                      Attempt(3'000'000, std::nullopt)};
  RunCost c = ComputeRunCost(catalog_,
                             {{"mlcost.instance_type", "p3.8xlarge"},
                              {"mlcost.provider", "AWS"},
                              {"mlcost.region", "us-east-1"},
                              {"mlcost.pricing", "on-demand"}},
                             attempts, 3'000'001);
  ASSERT_TRUE(c.known) << c.reason;
  EXPECT_EQ(c.billable_seconds, 1602);
  EXPECT_EQ(c.cost_so_far, D("5.4468"));
  EXPECT_EQ(c.quote.price_source, "catalog:aws_v8_vms.sample.csv us-east-1 on-demand");
}

TEST_F(RunCostTest, SpotCostRoundsHalfEvenToTwelveDecimals) {
  // 2.4655/h for 1 s = 0.000684861111111... -> 0.000684861111 (12 digits).
  RunCost c = ComputeRunCost(
      catalog_,
      {{"mlcost.instance_type", "p4d.24xlarge"}, {"mlcost.region", "us-east-1"}, {"mlcost.pricing", "spot"}},
      {Attempt(0, 1)}, 10);
  ASSERT_TRUE(c.known) << c.reason;
  EXPECT_EQ(c.billable_seconds, 1);
  EXPECT_EQ(c.cost_so_far.ToString(), "0.000684861111");
  // 12.24/h for 7 s = 0.0238 exactly; 0.526/h (built-in g4dn.xlarge) for 9 s = 0.001315 exactly.
  EXPECT_EQ(ComputeRunCost(catalog_, {{"mlcost.instance_type", "p3.8xlarge"}, {"mlcost.region", "us-east-1"}},
                           {Attempt(0, 7000)}, 0)
                .cost_so_far,
            D("0.0238"));
  EXPECT_EQ(
      ComputeRunCost(catalog_, {{"mlcost.instance_type", "g4dn.xlarge"}}, {Attempt(0, 8001)}, 0).cost_so_far,
      D("0.001315"));
}

TEST_F(RunCostTest, GcpTagsAddTheAccelerator) {
  RunCost c = ComputeRunCost(catalog_,
                             {{"mlcost.instance_type", "n4-standard-80"},
                              {"mlcost.provider", "gcp"},
                              {"mlcost.region", "us-central1"},
                              {"mlcost.accelerator", "T4"},
                              {"mlcost.gpu_count", "2"},
                              {"mlcost.pricing", "ondemand"}},
                             {Attempt(0, 3'600'000)}, 0);
  ASSERT_TRUE(c.known) << c.reason;
  EXPECT_EQ(c.cost_so_far, D("4.328"));
  EXPECT_EQ(c.quote.gpu_count, 2);
}

TEST(BillableSecondsTest, RoundsUpPartialSecondsAndNeverGoesNegative) {
  EXPECT_EQ(BillableSeconds({}, 5000), 0);
  EXPECT_EQ(BillableSeconds({Attempt(0, 1)}, 0), 1);
  EXPECT_EQ(BillableSeconds({Attempt(0, 1000)}, 0), 1);
  EXPECT_EQ(BillableSeconds({Attempt(0, 1001)}, 0), 2);
  EXPECT_EQ(BillableSeconds({Attempt(5000, 4000)}, 0), 0);                   // ends before it starts
  EXPECT_EQ(BillableSeconds({Attempt(5000, std::nullopt)}, 4000), 0);        // clock behind the start
  EXPECT_EQ(BillableSeconds({Attempt(0, 500), Attempt(1000, 1500)}, 0), 2);  // per attempt, not summed ms
}

TEST_F(RunCostTest, UnknownCostsSayWhy) {
  std::vector<RunAttempt> one_minute = {Attempt(0, 60'000)};
  RunCost no_tag = ComputeRunCost(catalog_, {{"other", "x"}}, one_minute, 0);
  EXPECT_FALSE(no_tag.known);
  EXPECT_EQ(no_tag.reason, "no mlcost.instance_type tag");
  EXPECT_EQ(no_tag.billable_seconds, 60);
  EXPECT_TRUE(no_tag.cost_so_far.IsZero());

  RunCost bad_count = ComputeRunCost(
      catalog_, {{"mlcost.instance_type", "p3.8xlarge"}, {"mlcost.gpu_count", "abc"}}, one_minute, 0);
  EXPECT_EQ(bad_count.reason, "mlcost.gpu_count 'abc' is not an integer");

  RunCost bad_pricing = ComputeRunCost(
      catalog_, {{"mlcost.instance_type", "p3.8xlarge"}, {"mlcost.pricing", "reserved"}}, one_minute, 0);
  EXPECT_EQ(bad_pricing.reason, "mlcost.pricing 'reserved' is not 'on-demand' or 'spot'");

  RunCost unknown = ComputeRunCost(
      catalog_, {{"mlcost.instance_type", "x9.mega"}, {"mlcost.provider", "aws"}}, one_minute, 0);
  EXPECT_FALSE(unknown.known);
  EXPECT_EQ(unknown.reason.rfind("instance type 'x9.mega' not in the price catalog (provider aws)", 0), 0u)
      << unknown.reason;

  // p5.48xlarge is built in on-demand only: spot is unknown, not priced as on-demand.
  RunCost spot = ComputeRunCost(
      catalog_, {{"mlcost.instance_type", "p5.48xlarge"}, {"mlcost.pricing", "spot"}}, one_minute, 0);
  EXPECT_FALSE(spot.known);
  EXPECT_NE(spot.reason.find("no spot price"), std::string::npos) << spot.reason;
}

TEST(PriceQueryFromTagsTest, ReadsEveryTag) {
  Result<PriceQuery> q = PriceQueryFromTags({{"mlcost.instance_type", " g5.xlarge "},
                                             {"mlcost.provider", "AWS"},
                                             {"mlcost.region", "us-east-1"},
                                             {"mlcost.pricing", "Spot"},
                                             {"mlcost.gpu_count", "1"},
                                             {"mlcost.accelerator", "A10G"}});
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  EXPECT_EQ(q->instance_type, "g5.xlarge");
  EXPECT_EQ(q->provider, "AWS");
  EXPECT_EQ(q->region, "us-east-1");
  EXPECT_EQ(q->pricing, "spot");
  EXPECT_EQ(q->gpu_count, 1);
  EXPECT_EQ(q->accelerator, "A10G");
  EXPECT_EQ(
      PriceQueryFromTags({{"mlcost.instance_type", "x"}, {"mlcost.gpu_count", "-2"}}).status().message(),
      "mlcost.gpu_count '-2' is negative");
  EXPECT_EQ(
      PriceQueryFromTags({{"mlcost.instance_type", "x"}, {"mlcost.gpu_count", "1.5"}}).status().message(),
      "mlcost.gpu_count '1.5' is not an integer");
}

}  // namespace
}  // namespace mlcost::pricing
