#include "pricing/builtin_prices.h"

#include <cstdlib>
#include <string>

#include "pricing/provider_names.h"

namespace mlcost::pricing {
namespace {

// Prices are decimal text copied from these catalog files (stored copies read in this project's
// reference search; the commits identify the exact versions). On-demand, USD per hour, Linux.
//   AWS:    skypilot-org/skypilot-catalog catalogs/v8/aws/vms.csv @ 00148f2a, region us-east-1
//           (after AWS's June 2025 P4/P5 price cut: p4d.24xlarge 21.957642, p5.48xlarge 55.04).
//   GCP:    catalogs/v8/gcp/vms.csv @ 006059e0, us-central1; the VM row plus the matching
//           accelerator row (a2-highgpu-1g 0.73948 + A100 x1 2.93391; a2-highgpu-8g 5.91582 +
//           A100 x8 23.47126), since GCP bills attached GPUs separately.
//   Azure:  catalogs/v6/azure/vms.csv @ 098741e7, eastus.
//   Lambda: catalogs/v8/lambda/vms.csv @ 0f407038; one price in every region.
constexpr char kAwsSource[] = "skypilot-catalog v8 aws vms.csv @00148f2a (us-east-1)";
constexpr char kGcpSource[] = "skypilot-catalog v8 gcp vms.csv @006059e0 (us-central1, VM + GPUs)";
constexpr char kAzureSource[] = "skypilot-catalog v6 azure vms.csv @098741e7 (eastus)";
constexpr char kLambdaSource[] = "skypilot-catalog v8 lambda vms.csv @0f407038 (all regions)";

struct Entry {
  const char* provider;
  const char* instance_type;
  const char* accelerator;
  int gpus;
  const char* region;
  const char* price;
  const char* source;
};

constexpr Entry kEntries[] = {
    {"aws", "p3.2xlarge", "V100", 1, "us-east-1", "3.06", kAwsSource},
    {"aws", "p3.8xlarge", "V100", 4, "us-east-1", "12.24", kAwsSource},
    {"aws", "p4d.24xlarge", "A100", 8, "us-east-1", "21.957642", kAwsSource},
    {"aws", "p5.48xlarge", "H100", 8, "us-east-1", "55.04", kAwsSource},
    {"aws", "g4dn.xlarge", "T4", 1, "us-east-1", "0.526", kAwsSource},
    {"aws", "g5.xlarge", "A10G", 1, "us-east-1", "1.006", kAwsSource},
    {"aws", "g5.12xlarge", "A10G", 4, "us-east-1", "5.672", kAwsSource},
    {"gcp", "a2-highgpu-1g", "A100", 1, "us-central1", "3.67339", kGcpSource},
    {"gcp", "a2-highgpu-8g", "A100", 8, "us-central1", "29.38708", kGcpSource},
    {"azure", "Standard_NC4as_T4_v3", "T4", 1, "eastus", "0.526", kAzureSource},
    {"azure", "Standard_NC6s_v3", "V100", 1, "eastus", "3.06", kAzureSource},
    {"azure", "Standard_NC24ads_A100_v4", "A100-80GB", 1, "eastus", "3.673", kAzureSource},
    {"azure", "Standard_ND96asr_v4", "A100", 8, "eastus", "27.197", kAzureSource},
    {"azure", "Standard_ND96amsr_A100_v4", "A100-80GB", 8, "eastus", "32.77", kAzureSource},
    {"lambda", "gpu_1x_a10", "A10", 1, "", "1.29", kLambdaSource},
    {"lambda", "gpu_1x_a6000", "A6000", 1, "", "1.09", kLambdaSource},
    {"lambda", "gpu_1x_a100", "A100", 1, "", "1.99", kLambdaSource},
    {"lambda", "gpu_1x_h100_pcie", "H100", 1, "", "3.29", kLambdaSource},
    {"lambda", "gpu_8x_v100", "V100", 8, "", "6.32", kLambdaSource},
    {"lambda", "gpu_8x_a100_80gb_sxm4", "A100-80GB", 8, "", "22.32", kLambdaSource},
};

std::vector<CatalogRow> Build() {
  std::vector<CatalogRow> rows;
  for (const Entry& e : kEntries) {
    Result<Decimal> price = Decimal::Parse(e.price);
    if (!price.ok()) std::abort();  // a typo in the table above; builtin_prices_test catches it
    CatalogRow row;
    row.provider = NormalizeProvider(e.provider);
    row.instance_type = e.instance_type;
    row.accelerator_name = e.accelerator;
    row.accelerator_count = Decimal::FromInt(e.gpus);
    row.region = e.region;
    row.price = *price;
    row.source = "built-in";
    row.source_detail = e.source;
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace

const std::vector<CatalogRow>& BuiltinPriceRows() {
  static const std::vector<CatalogRow>* const rows = new std::vector<CatalogRow>(Build());
  return *rows;
}

}  // namespace mlcost::pricing
