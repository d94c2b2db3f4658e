#include "tracking/run_queries.h"

#include <unordered_map>

#include "tracking/sql_bind.h"

namespace mlcost::tracking {
namespace {

constexpr const char* kInfoColumns =
    "run_id, run_name, experiment_id, user_id, status, epoch_ms(start_time), epoch_ms(end_time), "
    "artifact_uri, "
    "lifecycle_stage";
constexpr size_t kChunk = 1000;

RunInfo ReadInfo(store::QueryResult& rows, uint64_t r) {
  RunInfo info;
  info.run_id = rows.GetString(0, r);
  info.run_name = rows.GetString(1, r);
  info.experiment_id = std::to_string(rows.GetInt64(2, r));
  info.user_id = rows.GetString(3, r);
  info.status = rows.GetString(4, r);
  if (!rows.IsNull(5, r)) info.start_time_ms = rows.GetInt64(5, r);
  if (!rows.IsNull(6, r)) info.end_time_ms = rows.GetInt64(6, r);
  info.artifact_uri = rows.GetString(7, r);
  info.lifecycle_stage = rows.GetString(8, r);
  return info;
}

// Runs `sql` (which has one IN (...) list to fill) over `ids` in chunks, calling `row` per result row.
template <typename F>
Status ForChunks(store::Connection& conn, const std::string& sql_prefix, const std::string& sql_suffix,
                 const std::vector<std::string>& ids, F row) {
  for (size_t start = 0; start < ids.size(); start += kChunk) {
    size_t n = std::min(kChunk, ids.size() - start);
    ASSIGN_OR_RETURN(auto stmt, conn.Prepare(sql_prefix + Placeholders(n) + sql_suffix));
    for (size_t i = 0; i < n; ++i) RETURN_IF_ERROR(stmt.BindString(i + 1, ids[start + i]));
    ASSIGN_OR_RETURN(auto rows, stmt.Execute());
    for (uint64_t r = 0; r < rows.RowCount(); ++r) row(rows, r);
  }
  return Status::Ok();
}

}  // namespace

Result<RunInfo> LoadRunInfo(store::Connection& conn, const std::string& run_id) {
  ASSIGN_OR_RETURN(auto rows,
                   conn.Run(std::string("SELECT ") + kInfoColumns + " FROM runs WHERE run_id = ?", run_id));
  if (rows.RowCount() == 0) return NotFound("Run with id=" + run_id + " not found");
  return ReadInfo(rows, 0);
}

Result<std::vector<Run>> LoadRuns(store::Connection& conn, const std::vector<std::string>& run_ids) {
  std::unordered_map<std::string, Run> by_id;
  RETURN_IF_ERROR(ForChunks(conn, std::string("SELECT ") + kInfoColumns + " FROM runs WHERE run_id IN (", ")",
                            run_ids, [&](store::QueryResult& rows, uint64_t r) {
                              RunInfo info = ReadInfo(rows, r);
                              by_id[info.run_id].info = std::move(info);
                            }));
  RETURN_IF_ERROR(
      ForChunks(conn, "SELECT run_id, key, value, timestamp_ms, step FROM latest_metrics WHERE run_id IN (",
                ") ORDER BY key", run_ids, [&](store::QueryResult& rows, uint64_t r) {
                  by_id[rows.GetString(0, r)].metrics.push_back(
                      {rows.GetString(1, r), rows.GetDouble(2, r), rows.GetInt64(3, r), rows.GetInt64(4, r)});
                }));
  RETURN_IF_ERROR(
      ForChunks(conn, "SELECT run_id, key, value FROM params WHERE run_id IN (", ") ORDER BY key", run_ids,
                [&](store::QueryResult& rows, uint64_t r) {
                  by_id[rows.GetString(0, r)].params.push_back({rows.GetString(1, r), rows.GetString(2, r)});
                }));
  RETURN_IF_ERROR(
      ForChunks(conn, "SELECT run_id, key, value FROM tags WHERE run_id IN (", ") ORDER BY key", run_ids,
                [&](store::QueryResult& rows, uint64_t r) {
                  by_id[rows.GetString(0, r)].tags.push_back({rows.GetString(1, r), rows.GetString(2, r)});
                }));
  std::vector<Run> out;
  out.reserve(run_ids.size());
  for (const std::string& id : run_ids) {
    auto it = by_id.find(id);
    if (it != by_id.end() && !it->second.info.run_id.empty()) out.push_back(std::move(it->second));
  }
  return out;
}

Result<std::vector<std::string>> SearchRunIds(store::Connection& conn, const SqlFragment& where,
                                              const SqlFragment& order, int64_t limit, int64_t offset) {
  ASSIGN_OR_RETURN(auto stmt, conn.Prepare("SELECT r.run_id FROM runs r WHERE " + where.sql + " ORDER BY " +
                                           order.sql + " LIMIT ? OFFSET ?"));
  ASSIGN_OR_RETURN(uint64_t next, BindAll(stmt, 1, where.params));
  ASSIGN_OR_RETURN(next, BindAll(stmt, next, order.params));
  RETURN_IF_ERROR(stmt.BindInt64(next, limit));
  RETURN_IF_ERROR(stmt.BindInt64(next + 1, offset));
  ASSIGN_OR_RETURN(auto rows, stmt.Execute());
  std::vector<std::string> ids;
  ids.reserve(rows.RowCount());
  for (uint64_t r = 0; r < rows.RowCount(); ++r) ids.push_back(rows.GetString(0, r));
  return ids;
}

Result<std::vector<RunAttempt>> LoadAttempts(store::Connection& conn, const std::string& run_id) {
  ASSIGN_OR_RETURN(auto rows, conn.Run("SELECT attempt, epoch_ms(start_time), epoch_ms(end_time), "
                                       "coalesce(end_cause, '') FROM run_attempts WHERE run_id = ? "
                                       "ORDER BY attempt",
                                       run_id));
  std::vector<RunAttempt> out;
  for (uint64_t r = 0; r < rows.RowCount(); ++r) {
    RunAttempt a;
    a.attempt = static_cast<int>(rows.GetInt64(0, r));
    a.start_time_ms = rows.GetInt64(1, r);
    if (!rows.IsNull(2, r)) a.end_time_ms = rows.GetInt64(2, r);
    a.end_cause = rows.GetString(3, r);
    out.push_back(a);
  }
  return out;
}

}  // namespace mlcost::tracking
