#include "pricing/price_catalog.h"

#include <gtest/gtest.h>

#include <string>

#include "pricing/pricing_test_util.h"

namespace mlcost::pricing {
namespace {

using testing::CatalogFile;
using testing::TempDir;

Decimal D(const char* text) { return *Decimal::Parse(text); }

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// All four shared SkyPilot samples loaded, built-ins behind them.
class PriceCatalogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* f : {"aws_v8_vms.sample.csv", "gcp_v8_vms.sample.csv", "azure_v6_vms.sample.csv",
                          "lambda_v8_vms.sample.csv"}) {
      Status s = catalog_.LoadSkyPilotCsv(CatalogFile(f));
      ASSERT_TRUE(s.ok()) << s.ToString();
    }
  }

  PriceQuote MustLookup(const PriceQuery& q) {
    Result<PriceQuote> r = catalog_.Lookup(q);
    EXPECT_TRUE(r.ok()) << q.instance_type << ": " << r.status().ToString();
    return r.ok() ? *r : PriceQuote{};
  }

  Status LookupError(const PriceQuery& q) {
    Result<PriceQuote> r = catalog_.Lookup(q);
    EXPECT_FALSE(r.ok()) << q.instance_type << " priced at " << (r.ok() ? r->hourly_price.ToString() : "");
    return r.ok() ? Status() : r.status();
  }

  PriceCatalog catalog_;
};

TEST_F(PriceCatalogTest, RecordsWhatEachFileLoaded) {
  ASSERT_EQ(catalog_.loaded_files().size(), 4u);
  EXPECT_EQ(catalog_.loaded_files()[0].rows_loaded, 35);
  EXPECT_EQ(catalog_.loaded_files()[1].rows_not_offered, 1);
}

TEST_F(PriceCatalogTest, AwsRegionReturnsTheListedRow) {
  // p4d.24xlarge,...,21.957642,2.465500,us-east-1,use1-az1 (and use1-az2: same on-demand price)
  PriceQuote q = MustLookup({.provider = "aws", .instance_type = "p4d.24xlarge", .region = "us-east-1"});
  EXPECT_EQ(q.hourly_price, D("21.957642"));
  EXPECT_EQ(q.currency, "USD");
  EXPECT_EQ(q.price_source, "catalog:aws_v8_vms.sample.csv us-east-1 on-demand");
  EXPECT_EQ(q.gpu_count, 8);
  EXPECT_EQ(q.note, "");
  EXPECT_EQ(q.zone, "");
  EXPECT_EQ(q.pricing, "on-demand");
}

TEST_F(PriceCatalogTest, NamesAreCaseInsensitiveAndProviderOptional) {
  PriceQuote q = MustLookup({.provider = "AWS", .instance_type = "P4D.24XLARGE", .region = "US-EAST-1"});
  EXPECT_EQ(q.hourly_price, D("21.957642"));
  EXPECT_EQ(q.instance_type, "p4d.24xlarge");
  PriceQuote any = MustLookup({.instance_type = "r5ad.large", .region = "us-east-1"});
  EXPECT_EQ(any.provider, "aws");
  EXPECT_EQ(any.hourly_price, D("0.131"));
}

TEST_F(PriceCatalogTest, SpotUsesTheLowestZoneAndSaysSo) {
  // us-east-1 spot: use1-az1 2.465500, use1-az2 8.191500.
  PriceQuote q = MustLookup(
      {.provider = "aws", .instance_type = "p4d.24xlarge", .region = "us-east-1", .pricing = "spot"});
  EXPECT_EQ(q.hourly_price, D("2.4655"));
  EXPECT_EQ(q.zone, "use1-az1");
  EXPECT_EQ(q.price_source, "catalog:aws_v8_vms.sample.csv us-east-1 spot");
  EXPECT_TRUE(Contains(q.note, "spot price differs across zones of us-east-1 (2.4655 to 8.1915)")) << q.note;
}

TEST_F(PriceCatalogTest, SpotSkipsZonesWithoutSpotPrice) {
  // p3.8xlarge us-east-1: use1-atl2-az1 has no SpotPrice, use1-az1 has 1.442700.
  PriceQuote q = MustLookup({.instance_type = "p3.8xlarge", .region = "us-east-1", .pricing = "spot"});
  EXPECT_EQ(q.hourly_price, D("1.4427"));
  EXPECT_EQ(q.note, "");
}

TEST_F(PriceCatalogTest, ZoneCanBeGivenAsTheRegion) {
  PriceQuote q = MustLookup({.instance_type = "a1.2xlarge", .region = "use2-az2", .pricing = "spot"});
  EXPECT_EQ(q.hourly_price, D("0.2029"));
  EXPECT_EQ(q.region, "us-east-2");
}

TEST_F(PriceCatalogTest, NoRegionUsesLowestListedPriceWithNote) {
  // on-demand 30.09784 (ap-northeast-1), 25.25174, 23.71569, 21.957642 (us-east-1), 21.95764 (us-east-2,
  // us-west-2): the lowest real row wins; ties go to the first region by name.
  PriceQuote q = MustLookup({.provider = "aws", .instance_type = "p4d.24xlarge"});
  EXPECT_EQ(q.hourly_price, D("21.95764"));
  EXPECT_EQ(q.region, "us-east-2");
  EXPECT_EQ(q.price_source, "catalog:aws_v8_vms.sample.csv us-east-2 on-demand");
  EXPECT_TRUE(
      Contains(q.note, "region not set: lowest listed price (us-east-2; 6 regions listed, up to 30.09784)"))
      << q.note;
}

TEST_F(PriceCatalogTest, NoRegionAndAllRegionsAgree) {
  // gpu_8x_v100 is 6.32 in us-east-1 and us-west-1.
  PriceQuote q = MustLookup({.provider = "Lambda", .instance_type = "gpu_8x_v100"});
  EXPECT_EQ(q.hourly_price, D("6.32"));
  EXPECT_EQ(q.gpu_count, 8);
  EXPECT_EQ(q.note, "region not set: all 2 listed regions have this price");
}

TEST_F(PriceCatalogTest, AzureRowsAndRegions) {
  EXPECT_EQ(
      MustLookup({.provider = "azure", .instance_type = "Standard_A1_v2", .region = "eastus"}).hourly_price,
      D("0.043"));
  PriceQuote cheapest = MustLookup({.provider = "Azure", .instance_type = "Standard_A1_v2"});
  EXPECT_EQ(cheapest.hourly_price, D("0.036"));
  EXPECT_EQ(cheapest.region, "westus3");
  PriceQuote spot =
      MustLookup({.instance_type = "Standard_B16als_v2", .region = "eastus", .pricing = "spot"});
  EXPECT_EQ(spot.hourly_price, D("0.146575"));
}

TEST_F(PriceCatalogTest, MissingSpotPriceIsNotFoundNeverOnDemand) {
  Status lambda = LookupError({.instance_type = "gpu_1x_a6000", .region = "us-east-1", .pricing = "spot"});
  EXPECT_EQ(lambda.code(), StatusCode::kNotFound);
  EXPECT_TRUE(Contains(lambda.message(), "no spot price for instance type 'gpu_1x_a6000' (provider lambda)"))
      << lambda.message();
  EXPECT_TRUE(Contains(lambda.message(), "only on-demand is listed")) << lambda.message();
  Status azure = LookupError({.instance_type = "Standard_B12ms", .region = "eastus", .pricing = "spot"});
  EXPECT_EQ(azure.code(), StatusCode::kNotFound);
}

TEST_F(PriceCatalogTest, UnknownInstanceTypeIsNotFoundWithReason) {
  Status s = LookupError({.provider = "aws", .instance_type = "x9.mega"});
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_TRUE(Contains(s.message(), "instance type 'x9.mega' not in the price catalog (provider aws)"))
      << s.message();
  Status any = LookupError({.instance_type = "x9.mega"});
  EXPECT_TRUE(Contains(any.message(), "(any provider)")) << any.message();
}

TEST_F(PriceCatalogTest, UnlistedRegionIsNotFoundListingRegions) {
  Status s = LookupError({.provider = "aws", .instance_type = "p4d.24xlarge", .region = "mars-1"});
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_TRUE(Contains(s.message(), "no price for region 'mars-1'")) << s.message();
  EXPECT_TRUE(Contains(s.message(), "us-east-1, us-east-2, us-west-2")) << s.message();
}

TEST_F(PriceCatalogTest, BadPricingModelIsInvalidArgument) {
  Status s = LookupError({.instance_type = "p4d.24xlarge", .pricing = "reserved"});
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(MustLookup({.instance_type = "p4d.24xlarge", .region = "us-east-1", .pricing = "ondemand"})
                .hourly_price,
            D("21.957642"));
}

TEST_F(PriceCatalogTest, GcpAddsAcceleratorRowForExactCount) {
  // n4-standard-80 us-central1 3.628 + T4 x2 row 0.7.
  PriceQuote q = MustLookup({.provider = "gcp",
                             .instance_type = "n4-standard-80",
                             .region = "us-central1",
                             .gpu_count = 2,
                             .accelerator = "T4"});
  EXPECT_EQ(q.hourly_price, D("4.328"));
  EXPECT_EQ(q.gpu_count, 2);
  EXPECT_EQ(q.price_source, "catalog:gcp_v8_vms.sample.csv us-central1 on-demand + T4 x2");
  PriceQuote spot = MustLookup({.provider = "gcp",
                                .instance_type = "n4-standard-80",
                                .region = "us-central1",
                                .pricing = "spot",
                                .gpu_count = 4,
                                .accelerator = "t4"});
  EXPECT_EQ(spot.hourly_price, D("2.04304"));  // 1.34304 + 0.7
}

TEST_F(PriceCatalogTest, GcpScalesOneAcceleratorPriceWhenNoRowForTheCount) {
  // t2a-standard-1 0.0385 + 3 x T4 0.35.
  PriceQuote q = MustLookup({.provider = "gcp",
                             .instance_type = "t2a-standard-1",
                             .region = "us-central1-a",
                             .gpu_count = 3,
                             .accelerator = "T4"});
  EXPECT_EQ(q.hourly_price, D("1.0885"));
  EXPECT_TRUE(Contains(q.note, "priced as 3 x the one-accelerator price")) << q.note;
}

TEST_F(PriceCatalogTest, GcpAcceleratorMissingInRegionIsNotFound) {
  Status s = LookupError({.provider = "gcp",
                          .instance_type = "a3-highgpu-1g",
                          .region = "us-east4",
                          .gpu_count = 1,
                          .accelerator = "V100"});
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_TRUE(Contains(s.message(), "accelerator 'V100' x1")) << s.message();
}

TEST_F(PriceCatalogTest, GcpInfersA2GpusAndSaysWhenTheyAreNotPriced) {
  // The sample lists no A100 accelerator rows: the VM price alone, flagged.
  PriceQuote q = MustLookup({.instance_type = "a2-highgpu-8g", .region = "us-central1"});
  EXPECT_EQ(q.hourly_price, D("5.91582"));
  EXPECT_TRUE(Contains(q.note, "this is the VM price only")) << q.note;
}

TEST_F(PriceCatalogTest, AcceleratorOnlyTpuQuote) {
  PriceQuote q = MustLookup({.provider = "gcp", .region = "us-central1", .accelerator = "tpu-v6e-8"});
  EXPECT_EQ(q.hourly_price, D("21.6"));
  EXPECT_EQ(q.instance_type, "");
  // tpu-v6e-4 in southamerica-east1 is the 700.0 "not offered" placeholder.
  Status s = LookupError({.provider = "gcp", .region = "southamerica-east1", .accelerator = "tpu-v6e-4"});
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
}

TEST_F(PriceCatalogTest, AcceleratorIgnoredWhereTheInstancePriceIncludesIt) {
  PriceQuote q = MustLookup(
      {.instance_type = "p4d.24xlarge", .region = "us-east-1", .gpu_count = 4, .accelerator = "V100"});
  EXPECT_EQ(q.hourly_price, D("21.957642"));
  EXPECT_EQ(q.gpu_count, 8);
  EXPECT_TRUE(Contains(q.note, "accelerator 'V100' ignored")) << q.note;
  EXPECT_TRUE(Contains(q.note, "the whole instance is billed")) << q.note;
}

TEST_F(PriceCatalogTest, BuiltInFillsGapsButCatalogFilesWin) {
  PriceQuote builtin = MustLookup({.instance_type = "p3.2xlarge"});
  EXPECT_EQ(builtin.hourly_price, D("3.06"));
  EXPECT_EQ(builtin.price_source, "built-in us-east-1 on-demand");
  EXPECT_TRUE(Contains(builtin.note, "region not set: the built-in price is for us-east-1")) << builtin.note;
  // p3.8xlarge is both built in and in the AWS sample: the sample's row answers.
  EXPECT_EQ(MustLookup({.instance_type = "p3.8xlarge", .region = "us-west-2"}).price_source,
            "catalog:aws_v8_vms.sample.csv us-west-2 on-demand");

  Status other_region = LookupError({.instance_type = "p3.2xlarge", .region = "eu-west-1"});
  EXPECT_EQ(other_region.code(), StatusCode::kNotFound);
  EXPECT_TRUE(Contains(other_region.message(), "built-in table")) << other_region.message();
  Status spot = LookupError({.instance_type = "p3.2xlarge", .pricing = "spot"});
  EXPECT_EQ(spot.code(), StatusCode::kNotFound);

  TempDir dir;
  ASSERT_TRUE(
      catalog_
          .LoadSkyPilotCsv(dir.Write("aws_p3.csv", "InstanceType,Price,Region\np3.2xlarge,3.10,us-east-1\n"))
          .ok());
  PriceQuote loaded = MustLookup({.instance_type = "p3.2xlarge", .region = "us-east-1"});
  EXPECT_EQ(loaded.hourly_price, D("3.1"));
  EXPECT_EQ(loaded.price_source, "catalog:aws_p3.csv us-east-1 on-demand");
}

TEST_F(PriceCatalogTest, LaterFileReplacesAnInstanceTypeWhole) {
  TempDir dir;
  ASSERT_TRUE(
      catalog_
          .LoadSkyPilotCsv(dir.Write("aws_new.csv", "InstanceType,Price,Region\np4d.24xlarge,20,us-east-1\n"))
          .ok());
  EXPECT_EQ(MustLookup({.instance_type = "p4d.24xlarge", .region = "us-east-1"}).hourly_price, D("20"));
  EXPECT_EQ(LookupError({.instance_type = "p4d.24xlarge", .region = "ca-central-1"}).code(),
            StatusCode::kNotFound);
  // Other instance types of the first file are untouched.
  EXPECT_EQ(MustLookup({.instance_type = "p3.8xlarge", .region = "us-east-1"}).hourly_price, D("12.24"));
}

TEST_F(PriceCatalogTest, SameTypeFromTwoProvidersNeedsTheProvider) {
  TempDir dir;
  ASSERT_TRUE(catalog_
                  .LoadSkyPilotCsv(
                      dir.Write("lambda_more.csv", "InstanceType,Price,Region\np4d.24xlarge,9,us-east-1\n"))
                  .ok());
  Status s = LookupError({.instance_type = "p4d.24xlarge", .region = "us-east-1"});
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(Contains(s.message(), "several providers (aws, lambda)")) << s.message();
  EXPECT_EQ(MustLookup({.provider = "lambda", .instance_type = "p4d.24xlarge"}).hourly_price, D("9"));
}

TEST_F(PriceCatalogTest, FailedLoadLeavesCatalogUnchanged) {
  TempDir dir;
  Status s = catalog_.LoadSkyPilotCsv(
      dir.Write("aws_bad.csv", "InstanceType,Price,Region\np4d.24xlarge,x,us-east-1\n"));
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(catalog_.loaded_files().size(), 4u);
  EXPECT_EQ(MustLookup({.instance_type = "p4d.24xlarge", .region = "us-east-1"}).hourly_price,
            D("21.957642"));
}

TEST(PriceCatalogOptionsTest, BuiltinsCanBeTurnedOff) {
  PriceCatalog catalog(PriceCatalogOptions{.use_builtin = false});
  Result<PriceQuote> q = catalog.Lookup({.instance_type = "p3.2xlarge"});
  ASSERT_FALSE(q.ok());
  EXPECT_EQ(q.status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace mlcost::pricing
