#include "pricing/skypilot_csv.h"

#include <gtest/gtest.h>

#include <string>

#include "pricing/pricing_test_util.h"

namespace mlcost::pricing {
namespace {

using testing::CatalogFile;
using testing::TempDir;

Decimal D(const char* text) { return *Decimal::Parse(text); }

const CatalogRow* FindRow(const SkyPilotCsv& csv, const std::string& type, const std::string& zone) {
  for (const CatalogRow& row : csv.rows) {
    if (row.instance_type == type && row.zone == zone) return &row;
  }
  return nullptr;
}

TEST(ReadSkyPilotCsvTest, ReadsAwsSampleRowByRow) {
  Result<SkyPilotCsv> csv = ReadSkyPilotCsv(CatalogFile("aws_v8_vms.sample.csv"));
  ASSERT_TRUE(csv.ok()) << csv.status().ToString();
  EXPECT_EQ(csv->stats.data_rows, 35);
  EXPECT_EQ(csv->stats.rows_loaded, 35);
  EXPECT_EQ(csv->stats.file_name, "aws_v8_vms.sample.csv");

  // a1.2xlarge,,,8.0,16.0,,0.2568,0.256800,ap-northeast-1,apne1-az2,arm64
  const CatalogRow& first = csv->rows.front();
  EXPECT_EQ(first.provider, "aws");
  EXPECT_EQ(first.instance_type, "a1.2xlarge");
  EXPECT_EQ(first.region, "ap-northeast-1");
  EXPECT_EQ(first.zone, "apne1-az2");
  EXPECT_EQ(first.price, D("0.2568"));
  EXPECT_EQ(first.spot_price, D("0.2568"));
  EXPECT_EQ(first.vcpus, D("8"));
  EXPECT_FALSE(first.accelerator_count.has_value());
  EXPECT_EQ(first.source, "catalog:aws_v8_vms.sample.csv");

  // p3.8xlarge,V100,4.0,...,12.24,,us-east-1,use1-atl2-az1,x86_64: a blank SpotPrice.
  const CatalogRow* local_zone = FindRow(*csv, "p3.8xlarge", "use1-atl2-az1");
  ASSERT_NE(local_zone, nullptr);
  EXPECT_EQ(local_zone->accelerator_name, "V100");
  EXPECT_EQ(local_zone->accelerator_count, D("4"));
  EXPECT_EQ(local_zone->price, D("12.24"));
  EXPECT_FALSE(local_zone->spot_price.has_value());

  // Prices keep every digit of the text: 21.957642 and 21.95764 are different rows.
  EXPECT_EQ(FindRow(*csv, "p4d.24xlarge", "use1-az1")->price, D("21.957642"));
  EXPECT_EQ(FindRow(*csv, "p4d.24xlarge", "use2-az1")->price, D("21.95764"));
}

TEST(ReadSkyPilotCsvTest, GcpSkipsNotOfferedPlaceholderAndKeepsAcceleratorRows) {
  Result<SkyPilotCsv> csv = ReadSkyPilotCsv(CatalogFile("gcp_v8_vms.sample.csv"));
  ASSERT_TRUE(csv.ok()) << csv.status().ToString();
  EXPECT_EQ(csv->stats.data_rows, 32);
  EXPECT_EQ(csv->stats.rows_not_offered, 1);  // tpu-v6e-4 in southamerica-east1 at 700.0
  EXPECT_EQ(csv->stats.rows_loaded, 31);
  int accelerator_rows = 0;
  for (const CatalogRow& row : csv->rows) {
    EXPECT_EQ(row.provider, "gcp");
    EXPECT_NE(row.price, D("700"));
    if (row.instance_type.empty()) ++accelerator_rows;
  }
  EXPECT_EQ(accelerator_rows, 13);  // 6 T4, 3 V100, 4 TPU (one TPU row was 700.0)
  // ,,,T4,2,{...},us-central1,us-central1-a,0.7,0.35
  const CatalogRow* t4x2 = nullptr;
  for (const CatalogRow& row : csv->rows) {
    if (row.accelerator_name == "T4" && row.accelerator_count == D("2")) t4x2 = &row;
  }
  ASSERT_NE(t4x2, nullptr);
  EXPECT_EQ(t4x2->price, D("0.7"));
  EXPECT_EQ(t4x2->spot_price, D("0.35"));
  EXPECT_EQ(t4x2->zone, "us-central1-a");
}

TEST(ReadSkyPilotCsvTest, AzureAndLambdaHaveNoZones) {
  Result<SkyPilotCsv> azure = ReadSkyPilotCsv(CatalogFile("azure_v6_vms.sample.csv"));
  ASSERT_TRUE(azure.ok()) << azure.status().ToString();
  EXPECT_EQ(azure->stats.rows_loaded, 12);
  const CatalogRow* b12 = FindRow(*azure, "Standard_B12ms", "");
  ASSERT_NE(b12, nullptr);
  EXPECT_EQ(b12->provider, "azure");
  EXPECT_EQ(b12->price, D("0.499"));
  EXPECT_FALSE(b12->spot_price.has_value());

  Result<SkyPilotCsv> lambda = ReadSkyPilotCsv(CatalogFile("lambda_v8_vms.sample.csv"));
  ASSERT_TRUE(lambda.ok()) << lambda.status().ToString();
  EXPECT_EQ(lambda->stats.rows_loaded, 8);
  for (const CatalogRow& row : lambda->rows) {
    EXPECT_EQ(row.provider, "lambda");
    EXPECT_TRUE(row.zone.empty());
    EXPECT_FALSE(row.spot_price.has_value());
  }
}

TEST(ReadSkyPilotCsvTest, MissingPriceColumnNamesFileAndColumn) {
  TempDir dir;
  std::string path =
      dir.Write("aws_broken.csv", "InstanceType,vCPUs,SpotPrice,Region\np3.2xlarge,8.0,0.9,us-east-1\n");
  Result<SkyPilotCsv> csv = ReadSkyPilotCsv(path);
  ASSERT_FALSE(csv.ok());
  EXPECT_EQ(csv.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(csv.status().message().find(path), std::string::npos) << csv.status().message();
  EXPECT_NE(csv.status().message().find("'Price'"), std::string::npos) << csv.status().message();
}

TEST(ReadSkyPilotCsvTest, BadPriceNamesFileLineAndColumn) {
  TempDir dir;
  std::string path = dir.Write(
      "aws_bad.csv", "InstanceType,Price,Region\nm5.large,0.096,us-east-1\nm5.xlarge,1;92,us-east-1\n");
  Result<SkyPilotCsv> csv = ReadSkyPilotCsv(path);
  ASSERT_FALSE(csv.ok());
  EXPECT_EQ(csv.status().code(), StatusCode::kInvalidArgument);
  const std::string& m = csv.status().message();
  EXPECT_NE(m.find(path), std::string::npos) << m;
  EXPECT_NE(m.find("line 3"), std::string::npos) << m;
  EXPECT_NE(m.find("column Price"), std::string::npos) << m;
}

TEST(ReadSkyPilotCsvTest, MissingFileIsNotFound) {
  Result<SkyPilotCsv> csv = ReadSkyPilotCsv("/nonexistent/aws_vms.csv");
  ASSERT_FALSE(csv.ok());
  EXPECT_EQ(csv.status().code(), StatusCode::kNotFound);
}

TEST(ReadSkyPilotCsvTest, ProviderFromCloudColumnOrOverride) {
  TempDir dir;
  std::string mixed = dir.Write(
      "prices.csv", "Region,Price,Cloud,InstanceType\nus-east-1,1.5,AWS,x1.a\nus-central1,2.5,GCP,y1-b\n");
  Result<SkyPilotCsv> csv = ReadSkyPilotCsv(mixed);
  ASSERT_TRUE(csv.ok()) << csv.status().ToString();
  ASSERT_EQ(csv->rows.size(), 2u);
  EXPECT_EQ(csv->rows[0].provider, "aws");
  EXPECT_EQ(csv->rows[1].provider, "gcp");

  std::string plain = dir.Write("prices2.csv", "instancetype,REGION,price\nm5.large,us-east-1,0.096\n");
  Result<SkyPilotCsv> unknown = ReadSkyPilotCsv(plain);
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("prices2.csv"), std::string::npos);
  Result<SkyPilotCsv> overridden = ReadSkyPilotCsv(plain, "Amazon");
  ASSERT_TRUE(overridden.ok()) << overridden.status().ToString();
  EXPECT_EQ(overridden->rows[0].provider, "aws");
  EXPECT_EQ(overridden->rows[0].price, D("0.096"));
}

TEST(ReadSkyPilotCsvTest, CountsRowsItCannotUse) {
  TempDir dir;
  std::string path = dir.Write("azure_gaps.csv",
                               "InstanceType,Price,SpotPrice,Region\n"
                               "Standard_L16as_v3,,,southcentralus\n"  // no price at all
                               ",1.0,,eastus\n"                        // no name
                               "Standard_L8s,0.686,nan,eastus2\n"      // "nan" spot = not listed
                               "Standard_L8s_v2,0.123456789012,,\n");  // no region
  Result<SkyPilotCsv> csv = ReadSkyPilotCsv(path);
  ASSERT_TRUE(csv.ok()) << csv.status().ToString();
  EXPECT_EQ(csv->stats.data_rows, 4);
  EXPECT_EQ(csv->stats.rows_without_price, 1);
  EXPECT_EQ(csv->stats.rows_incomplete, 2);
  ASSERT_EQ(csv->rows.size(), 1u);
  EXPECT_FALSE(csv->rows[0].spot_price.has_value());
}

TEST(ReadSkyPilotCsvTest, HeaderOnlyFileLoadsNothing) {
  TempDir dir;
  std::string path = dir.Write("lambda_empty.csv", "InstanceType,AcceleratorName,Price,Region,SpotPrice\n");
  Result<SkyPilotCsv> csv = ReadSkyPilotCsv(path);
  ASSERT_TRUE(csv.ok()) << csv.status().ToString();
  EXPECT_EQ(csv->stats.data_rows, 0);
  EXPECT_TRUE(csv->rows.empty());
}

TEST(ReadSkyPilotCsvTest, TwelveDecimalPricesStayExact) {
  TempDir dir;
  std::string path =
      dir.Write("aws_exact.csv", "InstanceType,Price,Region\nm5.large,0.123456789012,us-east-1\n");
  Result<SkyPilotCsv> csv = ReadSkyPilotCsv(path);
  ASSERT_TRUE(csv.ok()) << csv.status().ToString();
  EXPECT_EQ(csv->rows[0].price->ToString(), "0.123456789012");
}

}  // namespace
}  // namespace mlcost::pricing
