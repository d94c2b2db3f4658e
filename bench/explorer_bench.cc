// mlcost-explorer-bench: GET /api/v1/costs?group_by=team&granularity=day over N generated cost
// lines (default 10 million), next to the SQL the explorer would run on the costs table, timed
// directly on DuckDB in the same run (the baseline). See docs/performance.md.
//
// The lines are the FOCUS 1.0 sample's 1,000 lines replicated over 90 days of hours, each copy
// with its own resource id (1 of 20,000), a cost scaled by a per-copy factor, and team / user /
// project / model tags fixed per resource (15 % of resources untagged), so the dimensions keep the
// sample's distributions and allocation has realistic cardinality.
#include <httplib.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "bench/server_process.h"
#include "bench/stats.h"
#include "store/database.h"

namespace mlcost::bench {
namespace {

using Clock = std::chrono::steady_clock;

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

std::string GenerateSql(int64_t lines, const std::string& sample) {
  const std::string n = std::to_string(lines);
  return "CREATE TEMP TABLE sample AS SELECT row_number() OVER () - 1 AS k, * FROM read_csv('" + sample +
         "', nullstr = 'NULL');\n"
         "INSERT INTO costs (availability_zone, billed_cost, billing_account_id, billing_account_name, "
         "billing_currency, billing_period_start, billing_period_end, charge_category, charge_description, "
         "charge_frequency, charge_period_start, charge_period_end, consumed_quantity, consumed_unit, "
         "contracted_cost, effective_cost, invoice_issuer_name, list_cost, pricing_category, pricing_unit, "
         "provider_name, publisher_name, region_id, region_name, resource_id, resource_name, resource_type, "
         "service_category, service_name, sku_id, sub_account_id, sub_account_name, tags, x_source_format, "
         "x_source_file, x_source_line, x_ingest_id) "
         "SELECT s.AvailabilityZone, s.BilledCost::DECIMAL(38,12) * f, s.BillingAccountId, s.BillingAccountName, "
         "s.BillingCurrency, TIMESTAMP '2024-07-01', TIMESTAMP '2024-10-01', s.ChargeCategory, s.ChargeDescription, "
         "s.ChargeFrequency, t, t + INTERVAL 1 HOUR, s.ConsumedQuantity::DECIMAL(38,12), s.ConsumedUnit, "
         "s.ContractedCost::DECIMAL(38,12) * f, s.EffectiveCost::DECIMAL(38,12) * f, s.InvoiceIssuerName, "
         "s.ListCost::DECIMAL(38,12) * f, s.PricingCategory, s.PricingUnit, s.ProviderName, s.PublisherName, "
         "s.RegionId, s.RegionName, 'res-' || r, 'res-' || r, s.ResourceType, s.ServiceCategory, s.ServiceName, "
         "s.SkuId, s.SubAccountId, s.SubAccountName, "
         "CASE WHEN r % 100 < 15 THEN map(['environment'], ['dev']) ELSE map(['team', 'user', 'project', "
         "'model'], ['team-' || (r % 24), 'user-' || (r % 240), 'project-' || (r % 60), 'model-' || (r % 36)]) END, "
         "'focus', 'generated', i, 1 FROM (SELECT i, i % 1000 AS k, hash(i) % 20000 AS r, "
         "(1 + (hash(i + 1) % 100)::DECIMAL(6,2) / 50)::DECIMAL(6,2) AS f, "
         "TIMESTAMP '2024-07-01' + to_hours(((i // 1000) % 2160)::BIGINT) AS t FROM range(" + n +
         ") g(i)) g JOIN sample s USING (k);\n"
         "INSERT INTO ingests VALUES (1, now(), now(), '{}');\n";
}

// The explorer's own SQL for group_by=team&granularity=day over costs with no allocation rules
// (query_builder.cc with the default tag rule), as the baseline.
constexpr char kBaselineSql[] =
    "SELECT billing_currency, date_trunc('day', charge_period_start), (CASE WHEN nullif(tags['team'], '') IS NOT "
    "NULL THEN tags['team'] ELSE 'unallocated' END), sum(billed_cost)::DECIMAL(38,12), count(*) FROM costs "
    "WHERE true GROUP BY 1, 2, 3 ORDER BY 1, 2, 3";

int Run(int64_t lines, int requests, const std::string& mlcost, const std::string& sample) {
  auto dir = TempDir::Create("mlcost-explorer-bench-");
  if (!dir.ok()) return std::fprintf(stderr, "%s\n", dir.status().ToString().c_str()), 1;
  const std::string data = (*dir)->path();
  const std::vector<std::string> args = {"serve", "--data-dir", data, "--port", "0"};
  {  // Creates and migrates the database.
    auto server = ServerProcess::Start(mlcost, args, std::chrono::seconds(60));
    if (!server.ok()) return std::fprintf(stderr, "%s\n", server.status().ToString().c_str()), 1;
    if (Status s = (*server)->Stop(); !s.ok()) return std::fprintf(stderr, "%s\n", s.ToString().c_str()), 1;
  }
  std::vector<int64_t> baseline_ns;
  double generate_s = 0;
  std::string baseline_rows;
  {
    auto db = store::Database::Open(data + "/mlcost.duckdb");
    if (!db.ok()) return std::fprintf(stderr, "%s\n", db.status().ToString().c_str()), 1;
    auto conn = (*db)->Connect();
    auto t0 = Clock::now();
    if (Status s = conn->Execute(GenerateSql(lines, sample)); !s.ok()) {
      return std::fprintf(stderr, "generate: %s\n", s.ToString().c_str()), 1;
    }
    generate_s = Ms(Clock::now() - t0) / 1000;
    for (int i = 0; i < std::max(3, requests / 10); ++i) {
      auto t = Clock::now();
      auto r = conn->Query(kBaselineSql);
      if (!r.ok()) return std::fprintf(stderr, "baseline: %s\n", r.status().ToString().c_str()), 1;
      baseline_ns.push_back(std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - t).count());
      baseline_rows = std::to_string(r->RowCount());
    }
  }

  auto server = ServerProcess::Start(mlcost, args, std::chrono::seconds(120));
  if (!server.ok()) return std::fprintf(stderr, "%s\n", server.status().ToString().c_str()), 1;
  httplib::Client client((*server)->url());
  client.set_read_timeout(600, 0);
  const char* path = "/api/v1/costs?group_by=team&granularity=day";
  auto t0 = Clock::now();
  auto first = client.Get(path);
  const double first_ms = Ms(Clock::now() - t0);
  if (!first || first->status != 200) return std::fprintf(stderr, "first request failed\n"), 1;
  auto body = nlohmann::json::parse(first->body);
  const int64_t rows = static_cast<int64_t>(body["rows"].size());
  if (std::to_string(rows) != baseline_rows || body["lines"].get<int64_t>() != lines) {
    std::fprintf(stderr, "answer disagrees with the baseline: %lld rows (baseline %s), %lld lines\n",
                 static_cast<long long>(rows), baseline_rows.c_str(),
                 static_cast<long long>(body["lines"].get<int64_t>()));
    return 1;
  }
  std::vector<int64_t> api_ns;
  for (int i = 0; i < requests; ++i) {
    auto t = Clock::now();
    auto r = client.Get(path);
    if (!r || r->status != 200) return std::fprintf(stderr, "request %d failed\n", i), 1;
    api_ns.push_back(std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - t).count());
  }
  (void)(*server)->Stop();
  LatencySummary api = Summarize(api_ns), base = Summarize(baseline_ns);
  std::printf("lines %lld (generated in %.1f s), answer rows %lld, source %s\n", static_cast<long long>(lines),
              generate_s, static_cast<long long>(rows), body["source"].get<std::string>().c_str());
  std::printf("first request (builds the daily rollup): %.0f ms\n", first_ms);
  std::printf("baseline SQL on costs (direct DuckDB): p50 %.1f ms  p99 %.1f ms  (%lld runs)\n", base.p50_ms,
              base.p99_ms, static_cast<long long>(base.count));
  std::printf("GET %s: p50 %.1f ms  p99 %.1f ms  (%lld requests)\n", path, api.p50_ms, api.p99_ms,
              static_cast<long long>(api.count));
  std::printf("ratio baseline p50 / API p50: %.1fx; target API p50 <= 300 ms: %s\n",
              SafeRatio(base.p50_ms, api.p50_ms), api.p50_ms <= 300 ? "met" : "NOT met");
  return 0;
}

}  // namespace
}  // namespace mlcost::bench

int main(int argc, char** argv) {
  int64_t lines = 10'000'000;
  int requests = 50;
  std::string mlcost = mlcost::bench::SelfDir() + "/mlcost";
  std::string sample = "../shared/data/billing/focus/focus-1.0_focus_sample_1000.csv";
  CLI::App app{"mlcost-explorer-bench: explorer latency over generated cost lines versus direct DuckDB SQL"};
  app.add_option("--lines", lines, "Cost lines to generate")->capture_default_str()->check(CLI::PositiveNumber);
  app.add_option("--requests", requests, "Timed API requests")->capture_default_str()->check(CLI::PositiveNumber);
  app.add_option("--mlcost", mlcost, "The mlcost executable")->capture_default_str();
  app.add_option("--sample", sample, "The FOCUS sample CSV the lines are drawn from")->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  return mlcost::bench::Run(lines, requests, mlcost, sample);
}
