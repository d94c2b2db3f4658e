#include "pricing/skypilot_csv.h"

#include <filesystem>
#include <initializer_list>
#include <map>
#include <optional>
#include <utility>

#include "pricing/provider_names.h"
#include "store/database.h"

namespace mlcost::pricing {
namespace {

// GCP's catalog writes 700.0 where a TPU or GPU is not offered in a location.
const Decimal kGcpNotOffered = Decimal::FromInt(700);

std::string SqlQuote(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    out.push_back(c);
    if (c == '\'') out.push_back('\'');
  }
  out.push_back('\'');
  return out;
}

std::string Trim(std::string s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

// Reads the cells of one materialised DuckDB result by column name.
class Cells {
 public:
  Cells(store::QueryResult* result, std::string file) : result_(result), file_(std::move(file)) {
    for (uint64_t c = 0; c < result_->ColumnCount(); ++c) {
      std::string name = result_->ColumnName(c);
      columns_.emplace(AsciiLower(name), c);
      header_ += (header_.empty() ? "" : ", ") + name;
    }
  }

  std::optional<uint64_t> Find(std::string_view lower_name) const {
    auto it = columns_.find(std::string(lower_name));
    if (it == columns_.end()) return std::nullopt;
    return it->second;
  }

  Result<uint64_t> Require(std::string_view name) const {
    if (auto c = Find(AsciiLower(name))) return *c;
    return InvalidArgument("catalog file '" + file_ + "' has no '" + std::string(name) +
                           "' column (a SkyPilot vms.csv needs InstanceType, Price and Region; the "
                           "header has: " +
                           header_ + ")");
  }

  // The trimmed text of a cell; "" for NULL or blank.
  std::string Text(std::optional<uint64_t> col, uint64_t row) const {
    if (!col || result_->IsNull(*col, row)) return "";
    return Trim(result_->GetString(*col, row));
  }

  // A non-negative decimal, or nullopt for blank/"nan". `line` is the 1-based line in the file
  // (header on line 1; SkyPilot catalogs have no multi-line cells).
  Result<std::optional<Decimal>> Number(std::optional<uint64_t> col, uint64_t row, int64_t line) const {
    std::string text = Text(col, row);
    if (text.empty() || AsciiLower(text) == "nan") return std::optional<Decimal>();
    Result<Decimal> d = Decimal::Parse(text);
    std::string where = "catalog file '" + file_ + "' line " + std::to_string(line) + " column " +
                        result_->ColumnName(*col) + ": ";
    if (!d.ok()) return InvalidArgument(where + d.status().message());
    if (*d < Decimal()) return InvalidArgument(where + "'" + text + "' is negative");
    return std::optional<Decimal>(*d);
  }

 private:
  store::QueryResult* result_;
  std::string file_;
  std::map<std::string, uint64_t> columns_;
  std::string header_;
};

}  // namespace

Result<SkyPilotCsv> ReadSkyPilotCsv(const std::string& path, std::string_view provider) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return NotFound("catalog file '" + path + "' does not exist");
  if (!std::filesystem::is_regular_file(path, ec)) {
    return InvalidArgument("catalog file '" + path + "' is not a regular file");
  }
  std::string file_provider = NormalizeProvider(provider);
  Status inferred_status;
  if (file_provider.empty()) {
    Result<std::string> inferred = InferProviderFromPath(path);
    if (inferred.ok()) {
      file_provider = *inferred;
    } else {
      inferred_status = inferred.status();
    }
  }

  store::DatabaseOptions db_options;
  db_options.threads = 2;
  ASSIGN_OR_RETURN(std::unique_ptr<store::Database> db, store::Database::Open(":memory:", db_options));
  ASSIGN_OR_RETURN(store::Connection conn, db->Connect());
  // all_varchar: every cell stays text so prices reach Decimal::Parse digit for digit.
  std::string sql = "SELECT * FROM read_csv(" + SqlQuote(path) +
                    ", all_varchar = true, header = true, delim = ',', quote = '\"', escape = '\"')";
  Result<store::QueryResult> queried = conn.Query(sql);
  if (!queried.ok()) return queried.status().WithContext("cannot read catalog file '" + path + "'");
  store::QueryResult result = std::move(queried).value();

  SkyPilotCsv out;
  out.stats.path = path;
  out.stats.file_name = std::filesystem::path(path).filename().string();
  Cells cells(&result, path);
  ASSIGN_OR_RETURN(uint64_t instance_col, cells.Require("InstanceType"));
  ASSIGN_OR_RETURN(uint64_t price_col, cells.Require("Price"));
  ASSIGN_OR_RETURN(uint64_t region_col, cells.Require("Region"));
  std::optional<uint64_t> cloud_col = cells.Find("cloud");
  if (!cloud_col) cloud_col = cells.Find("provider");
  if (!provider.empty()) cloud_col.reset();  // an explicit provider wins over the file's column
  if (!cloud_col && file_provider.empty()) return inferred_status;
  std::optional<uint64_t> accel_col = cells.Find("acceleratorname");
  std::optional<uint64_t> count_col = cells.Find("acceleratorcount");
  std::optional<uint64_t> vcpus_col = cells.Find("vcpus");
  std::optional<uint64_t> memory_col = cells.Find("memorygib");
  std::optional<uint64_t> spot_col = cells.Find("spotprice");
  std::optional<uint64_t> zone_col = cells.Find("availabilityzone");

  const uint64_t n = result.RowCount();
  out.stats.data_rows = static_cast<int64_t>(n);
  out.rows.reserve(n);
  for (uint64_t r = 0; r < n; ++r) {
    const int64_t line = static_cast<int64_t>(r) + 2;
    CatalogRow row;
    row.provider = cloud_col ? NormalizeProvider(cells.Text(cloud_col, r)) : file_provider;
    if (row.provider.empty()) row.provider = file_provider;
    if (row.provider.empty()) {
      return InvalidArgument("catalog file '" + path + "' line " + std::to_string(line) +
                             ": the Cloud column is blank and " + inferred_status.message());
    }
    row.instance_type = cells.Text(instance_col, r);
    row.accelerator_name = cells.Text(accel_col, r);
    row.region = cells.Text(region_col, r);
    row.zone = cells.Text(zone_col, r);
    if ((row.instance_type.empty() && row.accelerator_name.empty()) || row.region.empty()) {
      ++out.stats.rows_incomplete;
      continue;
    }
    ASSIGN_OR_RETURN(row.price, cells.Number(price_col, r, line));
    ASSIGN_OR_RETURN(row.spot_price, cells.Number(spot_col, r, line));
    bool not_offered = false;
    if (row.provider == "gcp") {
      for (std::optional<Decimal>* p : {&row.price, &row.spot_price}) {
        if (*p == kGcpNotOffered) {
          p->reset();
          not_offered = true;
        }
      }
    }
    if (!row.price && !row.spot_price) {
      if (not_offered) {
        ++out.stats.rows_not_offered;
      } else {
        ++out.stats.rows_without_price;
      }
      continue;
    }
    ASSIGN_OR_RETURN(row.accelerator_count, cells.Number(count_col, r, line));
    ASSIGN_OR_RETURN(row.vcpus, cells.Number(vcpus_col, r, line));
    ASSIGN_OR_RETURN(row.memory_gib, cells.Number(memory_col, r, line));
    row.source = "catalog:" + out.stats.file_name;
    out.rows.push_back(std::move(row));
  }
  out.stats.rows_loaded = static_cast<int64_t>(out.rows.size());
  return out;
}

}  // namespace mlcost::pricing
