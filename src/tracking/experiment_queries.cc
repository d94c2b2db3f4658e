#include "tracking/experiment_queries.h"

#include <map>

#include "tracking/sql_bind.h"

namespace mlcost::tracking {
namespace {

constexpr const char* kColumns =
    "e.experiment_id, e.name, e.artifact_location, e.lifecycle_stage, epoch_ms(e.creation_time), "
    "epoch_ms(e.last_update_time)";

Status AttachTags(store::Connection& conn, std::vector<Experiment>& experiments) {
  if (experiments.empty()) return Status::Ok();
  std::map<std::string, Experiment*> by_id;
  std::vector<SqlValue> ids;
  for (Experiment& e : experiments) {
    by_id[e.experiment_id] = &e;
    ids.emplace_back(static_cast<int64_t>(std::stoll(e.experiment_id)));
  }
  ASSIGN_OR_RETURN(auto stmt, conn.Prepare("SELECT experiment_id, key, value FROM experiment_tags WHERE "
                                           "experiment_id IN (" +
                                           Placeholders(ids.size()) + ") ORDER BY key"));
  ASSIGN_OR_RETURN(uint64_t next, BindAll(stmt, 1, ids));
  (void)next;
  ASSIGN_OR_RETURN(auto rows, stmt.Execute());
  for (uint64_t r = 0; r < rows.RowCount(); ++r) {
    by_id[std::to_string(rows.GetInt64(0, r))]->tags.push_back({rows.GetString(1, r), rows.GetString(2, r)});
  }
  return Status::Ok();
}

std::vector<Experiment> ReadExperiments(store::QueryResult& rows) {
  std::vector<Experiment> out;
  out.reserve(rows.RowCount());
  for (uint64_t r = 0; r < rows.RowCount(); ++r) {
    Experiment e;
    e.experiment_id = std::to_string(rows.GetInt64(0, r));
    e.name = rows.GetString(1, r);
    e.artifact_location = rows.GetString(2, r);
    e.lifecycle_stage = rows.GetString(3, r);
    e.creation_time_ms = rows.GetInt64(4, r);
    e.last_update_time_ms = rows.GetInt64(5, r);
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace

Result<Experiment> LoadExperiment(store::Connection& conn, int64_t id) {
  ASSIGN_OR_RETURN(
      auto rows,
      conn.Run(std::string("SELECT ") + kColumns + " FROM experiments e WHERE e.experiment_id = ?", id));
  std::vector<Experiment> found = ReadExperiments(rows);
  if (found.empty()) return NotFound("No Experiment with id=" + std::to_string(id) + " exists");
  RETURN_IF_ERROR(AttachTags(conn, found));
  return std::move(found.front());
}

Result<std::optional<int64_t>> FindExperimentByName(store::Connection& conn, const std::string& name) {
  ASSIGN_OR_RETURN(auto rows, conn.Run("SELECT experiment_id FROM experiments WHERE name = ? "
                                       "ORDER BY lifecycle_stage = 'active' DESC, experiment_id LIMIT 1",
                                       name));
  if (rows.RowCount() == 0) return std::optional<int64_t>();
  return std::optional<int64_t>(rows.GetInt64(0, 0));
}

Result<std::vector<Experiment>> LoadExperiments(store::Connection& conn, const SqlFragment& where,
                                                const SqlFragment& order, int64_t limit, int64_t offset) {
  std::string sql = std::string("SELECT ") + kColumns + " FROM experiments e WHERE " + where.sql +
                    " ORDER BY " + order.sql + " LIMIT ? OFFSET ?";
  ASSIGN_OR_RETURN(auto stmt, conn.Prepare(sql));
  ASSIGN_OR_RETURN(uint64_t next, BindAll(stmt, 1, where.params));
  ASSIGN_OR_RETURN(next, BindAll(stmt, next, order.params));
  RETURN_IF_ERROR(stmt.BindInt64(next, limit));
  RETURN_IF_ERROR(stmt.BindInt64(next + 1, offset));
  ASSIGN_OR_RETURN(auto rows, stmt.Execute());
  std::vector<Experiment> found = ReadExperiments(rows);
  RETURN_IF_ERROR(AttachTags(conn, found));
  return found;
}

}  // namespace mlcost::tracking
