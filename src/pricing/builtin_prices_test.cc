#include "pricing/builtin_prices.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "pricing/price_catalog.h"
#include "pricing/pricing_test_util.h"
#include "pricing/provider_names.h"

namespace mlcost::pricing {
namespace {

Decimal D(const char* text) { return *Decimal::Parse(text); }

TEST(BuiltinPricesTest, RowsAreWellFormedAndUnique) {
  const std::vector<CatalogRow>& rows = BuiltinPriceRows();
  ASSERT_GE(rows.size(), 15u);
  std::set<std::string> keys;
  for (const CatalogRow& row : rows) {
    EXPECT_TRUE(keys.insert(row.provider + "/" + AsciiLower(row.instance_type)).second) << row.instance_type;
    EXPECT_TRUE(IsKnownProvider(row.provider)) << row.provider;
    ASSERT_TRUE(row.price.has_value()) << row.instance_type;
    EXPECT_GT(*row.price, Decimal()) << row.instance_type;
    EXPECT_FALSE(row.spot_price.has_value()) << row.instance_type;
    EXPECT_FALSE(row.accelerator_name.empty()) << row.instance_type;
    EXPECT_GE(row.accelerator_count, Decimal::FromInt(1)) << row.instance_type;
    EXPECT_EQ(row.source, "built-in");
    EXPECT_FALSE(row.source_detail.empty());
  }
}

TEST(BuiltinPricesTest, CoversTheCommonGpuInstances) {
  PriceCatalog catalog;
  struct Want {
    const char* provider;
    const char* type;
    const char* price;
    int gpus;
  };
  for (const Want& w :
       {Want{"aws", "p3.2xlarge", "3.06", 1}, Want{"aws", "p3.8xlarge", "12.24", 4},
        Want{"aws", "p4d.24xlarge", "21.957642", 8}, Want{"aws", "p5.48xlarge", "55.04", 8},
        Want{"aws", "g4dn.xlarge", "0.526", 1}, Want{"aws", "g5.xlarge", "1.006", 1},
        Want{"aws", "g5.12xlarge", "5.672", 4}, Want{"gcp", "a2-highgpu-1g", "3.67339", 1},
        Want{"gcp", "a2-highgpu-8g", "29.38708", 8}, Want{"azure", "Standard_NC24ads_A100_v4", "3.673", 1},
        Want{"azure", "Standard_ND96asr_v4", "27.197", 8}, Want{"lambda", "gpu_1x_a100", "1.99", 1}}) {
    Result<PriceQuote> q = catalog.Lookup({.provider = w.provider, .instance_type = w.type});
    ASSERT_TRUE(q.ok()) << w.type << ": " << q.status().ToString();
    EXPECT_EQ(q->hourly_price, D(w.price)) << w.type;
    EXPECT_EQ(q->gpu_count, w.gpus) << w.type;
    EXPECT_EQ(q->price_source.rfind("built-in ", 0), 0u) << q->price_source;
  }
}

// The built-in AWS and Lambda prices agree with the same rows of the shared catalog samples.
TEST(BuiltinPricesTest, AgreesWithTheCatalogSamples) {
  PriceCatalog builtin_only;
  PriceCatalog loaded;
  ASSERT_TRUE(loaded.LoadSkyPilotCsv(testing::CatalogFile("aws_v8_vms.sample.csv")).ok());
  ASSERT_TRUE(loaded.LoadSkyPilotCsv(testing::CatalogFile("lambda_v8_vms.sample.csv")).ok());
  for (const char* type : {"p3.8xlarge", "p4d.24xlarge", "gpu_8x_v100", "gpu_1x_a6000"}) {
    PriceQuery q{.instance_type = type, .region = "us-east-1"};
    Result<PriceQuote> a = builtin_only.Lookup(q);
    Result<PriceQuote> b = loaded.Lookup(q);
    ASSERT_TRUE(a.ok() && b.ok()) << type;
    EXPECT_EQ(a->hourly_price, b->hourly_price) << type;
    EXPECT_EQ(a->price_source.rfind("built-in", 0), 0u);
    EXPECT_EQ(b->price_source.rfind("catalog:", 0), 0u);
  }
}

}  // namespace
}  // namespace mlcost::pricing
