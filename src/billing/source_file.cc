#include "billing/source_file.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "billing/gzip_check.h"
#include "common/ascii.h"
#include "billing/mapping_sql.h"

namespace mlcost::billing {
namespace {

namespace fs = std::filesystem;

bool EndsWith(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool IsBillingFileName(const std::string& file_name) {
  std::string name = AsciiLower(file_name);
  return EndsWith(name, ".csv") || EndsWith(name, ".csv.gz") || EndsWith(name, ".gz") || EndsWith(name, ".parquet");
}

bool HasParquetMagic(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char magic[4] = {};
  in.read(magic, 4);
  return in.gcount() == 4 && std::string_view(magic, 4) == "PAR1";
}

// Bills are comma-separated with '"' quotes; only the header and the line ending are sniffed.
// `dialect` adds options for files DuckDB's strict reader refuses (see kDialects).
std::string CsvReader(const std::string& path, bool header, std::string_view dialect) {
  return "read_csv(" + QuoteLiteral(path) + ", header=" + (header ? "true" : "false") +
         ", all_varchar=true, delim=',', quote='\"', escape='\"', compression='auto'" + std::string(dialect) + ")";
}

// Tried in order until the file's first line reads as two or more columns: strict RFC 4180;
// null padding for rows shorter than the header (koku's CUR samples end one column early);
// non-strict for files DuckDB's sniffer rejects although they are valid (doubled quotes inside
// JSON tags in koku's Azure MCA sample).
constexpr std::string_view kDialects[] = {"", ", null_padding=true", ", strict_mode=false"};

}  // namespace

Result<std::vector<std::string>> ExpandPaths(const std::vector<std::string>& paths) {
  std::vector<std::string> files;
  for (const std::string& given : paths) {
    std::error_code ec;
    fs::path path = fs::absolute(given, ec);
    if (ec || !fs::exists(path, ec)) return NotFound("no such file or folder: " + given);
    if (fs::is_regular_file(path, ec)) {
      files.push_back(path.lexically_normal().string());
      continue;
    }
    if (!fs::is_directory(path, ec)) return InvalidArgument("not a file or folder: " + given);
    std::vector<std::string> found;
    for (fs::recursive_directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
      if (it->is_regular_file() && IsBillingFileName(it->path().filename().string())) {
        found.push_back(it->path().lexically_normal().string());
      }
    }
    if (ec) return InvalidArgument("cannot list folder " + given + ": " + ec.message());
    if (found.empty()) return InvalidArgument("folder " + given + " holds no .csv, .csv.gz or .parquet files");
    std::sort(found.begin(), found.end());
    files.insert(files.end(), found.begin(), found.end());
  }
  if (files.empty()) return InvalidArgument("no files to ingest");
  return files;
}

Result<SourceFile> OpenSourceFile(store::Connection& conn, const std::string& path) {
  SourceFile file;
  file.path = path;
  file.parquet = HasParquetMagic(path);
  std::string where = path + ": ";
  if (IsGzip(path)) RETURN_IF_ERROR(CheckGzip(path));
  if (file.parquet) {
    Result<store::QueryResult> schema = conn.Query("DESCRIBE SELECT * FROM read_parquet(" + QuoteLiteral(path) + ")");
    if (!schema.ok()) return InvalidArgument(where + "not a readable Parquet file: " + schema.status().message());
    std::string list;
    for (uint64_t row = 0; row < schema->RowCount(); ++row) {
      std::string name = schema->GetString(0, row);
      std::string type = schema->GetString(1, row);
      file.columns.push_back(name);
      bool nested = type.starts_with("MAP") || type.starts_with("STRUCT") || type.ends_with("[]");
      list += ", " + std::string(nested ? "to_json(" : "CAST(") + QuoteIdentifier(name) +
              (nested ? ")::VARCHAR" : " AS VARCHAR)") + " AS " + QuoteIdentifier(name);
    }
    file.select_sql = "SELECT row_number() OVER () AS mlcost_line" + list + " FROM read_parquet(" +
                      QuoteLiteral(path) + ")";
  } else {
    // The header as written: DuckDB renames duplicate names when header=true, which would hide them.
    std::string_view dialect;
    Status probe_error;
    for (std::string_view candidate : kDialects) {
      Result<store::QueryResult> probe = conn.Query("SELECT * FROM " + CsvReader(path, true, candidate) + " LIMIT 1");
      if (probe.ok() && probe->ColumnCount() >= 2) {
        dialect = candidate;
        probe_error = Status::Ok();
        break;
      }
      if (probe_error.ok()) probe_error = probe.ok() ? InvalidArgument("one column") : probe.status();
    }
    if (!probe_error.ok()) return InvalidArgument(where + "not a readable CSV file: " + probe_error.message());
    Result<store::QueryResult> first = conn.Query("SELECT * FROM " + CsvReader(path, false, dialect) + " LIMIT 1");
    if (!first.ok()) return InvalidArgument(where + "not a readable CSV file: " + first.status().message());
    if (first->RowCount() == 0) return InvalidArgument(where + "the file is empty");
    for (uint64_t col = 0; col < first->ColumnCount(); ++col) {
      file.columns.push_back(first->IsNull(col, 0) ? "" : first->GetString(col, 0));
    }
    file.select_sql = "SELECT row_number() OVER () + 1 AS mlcost_line, * FROM " + CsvReader(path, true, dialect);
  }
  if (file.columns.size() < 2) {
    return InvalidArgument(where + "not a billing export: it has " + std::to_string(file.columns.size()) +
                           " column(s); a bill has a header line with many named columns");
  }
  HeaderIndex header(file.columns);
  if (!header.duplicates().empty()) {
    std::string names;
    for (const std::string& d : header.duplicates()) names += (names.empty() ? "" : ", ") + d;
    return InvalidArgument(where + "duplicate column(s) in the header: " + names);
  }
  for (size_t i = 0; i < file.columns.size(); ++i) {
    if (file.columns[i].empty()) {
      return InvalidArgument(where + "column " + std::to_string(i + 1) + " of the header has no name");
    }
  }
  return file;
}

}  // namespace mlcost::billing
