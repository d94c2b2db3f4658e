#include "bench/ingest/ingest_phase.h"

#include <chrono>
#include <filesystem>
#include <fstream>

#include "billing/ingest_service.h"
#include "billing/mapping_sql.h"
#include "common/clock.h"
#include "store/migrations.h"

namespace mlcost::bench {
namespace {

namespace fs = std::filesystem;

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

nlohmann::json ToJson(const PhaseResult& r) {
  return {{"rows", r.rows}, {"seconds", r.seconds}, {"peak_rss_bytes", r.peak_rss_bytes},
          {"billed_cost", r.billed_cost}, {"rows_rejected", r.rows_rejected}, {"error", r.error}};
}

PhaseResult PhaseResultFromJson(const nlohmann::json& j) {
  PhaseResult r;
  r.rows = j.value("rows", int64_t{0});
  r.seconds = j.value("seconds", 0.0);
  r.peak_rss_bytes = j.value("peak_rss_bytes", int64_t{0});
  if (j.contains("billed_cost") && j["billed_cost"].is_string()) r.billed_cost = j["billed_cost"].get<std::string>();
  r.rows_rejected = j.value("rows_rejected", int64_t{0});
  if (j.contains("error") && j["error"].is_string()) r.error = j["error"].get<std::string>();
  return r;
}

int64_t PeakRssBytes() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stoll(line.substr(6)) * 1024;  // "VmHWM:  1234 kB"
  }
  return 0;
}

Result<PhaseResult> RunBaselinePhase(const std::string& csv, const std::string& db_path,
                                     const store::DatabaseOptions& options) {
  std::error_code ec;
  fs::remove(db_path, ec);
  fs::remove(db_path + ".wal", ec);
  ASSIGN_OR_RETURN(std::unique_ptr<store::Database> db, store::Database::Open(db_path, options));
  PhaseResult result;
  {
    ASSIGN_OR_RETURN(store::Connection conn, db->Connect());
    auto start = std::chrono::steady_clock::now();
    RETURN_IF_ERROR(conn.Execute("CREATE TABLE t AS SELECT * FROM read_csv(" + billing::QuoteLiteral(csv) +
                                 ", header=true, delim=',', quote='\"', escape='\"')"));
    result.seconds = SecondsSince(start);
    ASSIGN_OR_RETURN(store::QueryResult count, conn.Query("SELECT count(*) FROM t"));
    result.rows = count.GetInt64(0, 0);
  }
  result.peak_rss_bytes = PeakRssBytes();
  return result;
}

Result<PhaseResult> RunMlcostPhase(const std::string& csv, const std::string& data_dir,
                                   const store::DatabaseOptions& options) {
  std::error_code ec;
  fs::remove_all(data_dir, ec);
  fs::create_directories(data_dir, ec);
  if (ec) return Internal("cannot create " + data_dir + ": " + ec.message());
  ASSIGN_OR_RETURN(std::unique_ptr<store::Database> db, store::Database::Open(data_dir + "/mlcost.duckdb", options));
  {
    ASSIGN_OR_RETURN(store::Connection conn, db->Connect());
    ASSIGN_OR_RETURN(int version, store::Migrate(conn, store::SchemaMigrations()));
    (void)version;
  }
  PhaseResult result;
  billing::IngestService service(*db, SystemClock::Get());
  auto start = std::chrono::steady_clock::now();
  Result<billing::IngestReport> ingested = service.Ingest(billing::IngestRequest{{csv}, "auto"});
  result.seconds = SecondsSince(start);
  result.peak_rss_bytes = PeakRssBytes();
  if (!ingested.ok()) {
    result.error = std::string(ingested.status().message());
    ASSIGN_OR_RETURN(store::Connection conn, db->Connect());
    ASSIGN_OR_RETURN(store::QueryResult count, conn.Query("SELECT count(*) FROM costs"));
    result.rows = count.GetInt64(0, 0);
    return result;
  }
  const billing::IngestReport& report = *ingested;
  Decimal billed;
  for (const billing::FileReport& file : report.files) {
    result.rows += file.rows_loaded;
    result.rows_rejected += file.rows_rejected;
    billed += file.billed_cost + file.rejected_billed_cost;
  }
  result.billed_cost = billed.ToString();
  return result;
}

}  // namespace mlcost::bench
