#include "sqlconsole/query_exporter.h"

#include <filesystem>
#include <memory>

namespace mlcost::sqlconsole {

namespace fs = std::filesystem;

Result<std::unique_ptr<QueryExporter>> QueryExporter::Open(SqlService& sql, const std::string& root) {
  std::error_code ec;
  fs::create_directories(root, ec);
  if (ec) return Internal("cannot create export directory " + root + ": " + ec.message());
  fs::path canonical = fs::canonical(root, ec);
  if (ec) return Internal("cannot resolve export directory " + root + ": " + ec.message());
  return std::unique_ptr<QueryExporter>(new QueryExporter(sql, canonical.string()));
}

Result<ExportOutcome> QueryExporter::Export(const SavedQuery& query) {
  RETURN_IF_ERROR(ValidateQueryName(query.name));
  RETURN_IF_ERROR(ValidateOutputDir(query.output_dir));
  std::error_code ec;
  const fs::path dir = query.output_dir.empty() ? fs::path(root_) : fs::path(root_) / query.output_dir;
  fs::create_directories(dir, ec);
  if (ec) return Internal("cannot create " + dir.string() + ": " + ec.message());
  const fs::path real = fs::canonical(dir, ec);
  if (ec) return Internal("cannot resolve " + dir.string() + ": " + ec.message());
  const fs::path relative = real.lexically_relative(root_);
  if (relative.empty() || *relative.begin() == "..") {
    return Status(StatusCode::kPermissionDenied,
                  "output_dir '" + query.output_dir + "' resolves outside the export root " + root_);
  }
  const std::string file = query.name + "." + std::string(ExportFormatName(query.format));
  const fs::path final_path = real / file;
  const fs::path temp_path = real / ("." + file + ".tmp");
  fs::remove(temp_path, ec);
  Result<int64_t> rows = sql_.CopyTo(query.sql, temp_path.string(), query.format);
  if (!rows.ok()) {
    fs::remove(temp_path, ec);
    return rows.status();
  }
  fs::rename(temp_path, final_path, ec);
  if (ec) {
    fs::remove(temp_path, ec);
    return Internal("cannot rename the export into " + final_path.string() + ": " + ec.message());
  }
  ExportOutcome out;
  out.path = (relative == "." ? fs::path(file) : relative / file).string();
  out.rows = *rows;
  return out;
}

}  // namespace mlcost::sqlconsole
