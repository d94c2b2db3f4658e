#include "billing/ingest_service.h"

#include <string>
#include <vector>

#include "billing/file_loader.h"
#include "billing/focus_rules.h"
#include "billing/mapping_sql.h"
#include "billing/source_file.h"
#include "billing/source_format.h"
#include "billing/sql_macros.h"

namespace mlcost::billing {
namespace {

struct PlannedFile {
  SourceFile file;
  SourceFormat format;
};

Result<PlannedFile> PlanFile(store::Connection& conn, const std::string& path, const std::string& provider) {
  ASSIGN_OR_RETURN(SourceFile file, OpenSourceFile(conn, path));
  HeaderIndex header(file.columns);
  std::optional<SourceFormat> detected = DetectFormat(header);
  if (provider == "auto") {
    if (!detected) {
      std::string first;
      for (size_t i = 0; i < file.columns.size() && i < 6; ++i) first += (i ? ", " : "") + file.columns[i];
      return InvalidArgument(path +
                             ": not a billing export of a known format (header starts: " + first +
                             "); expected FOCUS, AWS CUR, GCP billing export, Azure cost details or OCI cost "
                             "report columns, or pass --provider");
    }
    return PlannedFile{std::move(file), *detected};
  }
  ASSIGN_OR_RETURN(SourceFormat forced, ParseFormatName(provider));
  if (std::optional<std::string> missing = MissingRequiredColumn(forced, header)) {
    return InvalidArgument(path + ": provider " + provider + " needs a column \"" + *missing +
                           "\", which the file does not have" +
                           (detected ? " (it looks like " + std::string(FormatName(*detected)) + ")" : ""));
  }
  return PlannedFile{std::move(file), forced};
}

// Rolls back unless committed.
class Transaction {
 public:
  explicit Transaction(store::Connection& conn) : conn_(conn) {}
  ~Transaction() {
    if (open_) (void)conn_.Execute("ROLLBACK");
  }
  Status Begin() {
    RETURN_IF_ERROR(conn_.Execute("BEGIN TRANSACTION"));
    open_ = true;
    return Status::Ok();
  }
  Status Commit() {
    open_ = false;
    return conn_.Execute("COMMIT");
  }

 private:
  store::Connection& conn_;
  bool open_ = false;
};

FileReport* FindFile(IngestReport& report, const std::string& path) {
  for (FileReport& f : report.files) {
    if (f.path == path) return &f;
  }
  return nullptr;
}

// Applies the FOCUS rules to this ingest's cost lines: reject rules delete, flag rules count. One
// pass counts every rule (a line a reject rule removes is not counted by later rules); only the
// rules some line broke are read again, for their examples.
Status ApplyRules(store::Connection& conn, int64_t ingest_id, IngestReport& report) {
  const std::vector<FocusRule>& rules = FocusRules();
  std::vector<std::string> predicates;
  std::string rejected_before = "false";
  std::string counts;
  for (const FocusRule& rule : rules) {
    predicates.push_back("coalesce((" + std::string(rule.violation) + "), false) AND NOT (" + rejected_before + ")");
    counts += (counts.empty() ? "" : ", ") + ("count(*) FILTER (WHERE " + predicates.back() + ")");
    if (rule.action == RuleAction::kReject) {
      rejected_before += " OR coalesce((" + std::string(rule.violation) + "), false)";
    }
  }
  ASSIGN_OR_RETURN(store::QueryResult count,
                   conn.Run("SELECT " + counts + " FROM costs WHERE x_ingest_id = ?", ingest_id));
  bool any_rejected = false;
  for (size_t i = 0; i < rules.size(); ++i) {
    int64_t rows = count.GetInt64(i, 0);
    if (rows == 0) continue;
    const FocusRule& rule = rules[i];
    any_rejected = any_rejected || rule.action == RuleAction::kReject;
    const std::string where = " WHERE x_ingest_id = ? AND " + predicates[i];
    RuleReport rule_report{std::string(rule.id), std::string(rule.description), std::string(ActionName(rule.action)),
                           rows, {}};
    ASSIGN_OR_RETURN(store::QueryResult examples,
                     conn.Run("SELECT x_source_file, x_source_line FROM costs" + where +
                                  " ORDER BY x_source_file, x_source_line LIMIT 3",
                              ingest_id));
    for (uint64_t r = 0; r < examples.RowCount(); ++r) {
      rule_report.examples.push_back(examples.GetString(0, r) + ":" + std::to_string(examples.GetInt64(1, r)));
    }
    if (rule.action == RuleAction::kReject) {
      ASSIGN_OR_RETURN(store::QueryResult per_file,
                       conn.Run("SELECT x_source_file, count(*), coalesce(sum(billed_cost), 0) FROM costs" + where +
                                    " GROUP BY 1",
                                ingest_id));
      for (uint64_t r = 0; r < per_file.RowCount(); ++r) {
        if (FileReport* f = FindFile(report, per_file.GetString(0, r))) {
          f->rows_rejected += per_file.GetInt64(1, r);
          f->rejected_billed_cost += per_file.GetDecimal(2, r);
        }
      }
    }
    report.rules.push_back(std::move(rule_report));
  }
  if (any_rejected) {
    RETURN_IF_ERROR(conn.Exec("DELETE FROM costs WHERE x_ingest_id = ? AND (" + rejected_before + ")", ingest_id));
  }
  return Status::Ok();
}

// Deletes earlier ingests' lines for the (account, period) pairs this ingest loaded.
Result<int64_t> ReplaceRestatedPeriods(store::Connection& conn, int64_t ingest_id) {
  ASSIGN_OR_RETURN(store::QueryResult costs,
                   conn.Run("DELETE FROM costs c WHERE c.x_ingest_id <> $1 AND EXISTS (SELECT 1 FROM "
                            "(SELECT DISTINCT billing_account_id, billing_period_start FROM costs WHERE x_ingest_id = $1) k "
                            "WHERE k.billing_account_id IS NOT DISTINCT FROM c.billing_account_id "
                            "AND k.billing_period_start IS NOT DISTINCT FROM c.billing_period_start)",
                            ingest_id));
  ASSIGN_OR_RETURN(store::QueryResult commitments,
                   conn.Run("DELETE FROM contract_commitments c WHERE c.x_ingest_id <> $1 AND EXISTS (SELECT 1 FROM "
                            "(SELECT DISTINCT contract_commitment_id FROM contract_commitments WHERE x_ingest_id = $1) k "
                            "WHERE k.contract_commitment_id IS NOT DISTINCT FROM c.contract_commitment_id)",
                            ingest_id));
  return static_cast<int64_t>(costs.RowsChanged() + commitments.RowsChanged());
}

IngestSummary SummaryRow(store::QueryResult& rows, uint64_t r) {
  return IngestSummary{rows.GetInt64(0, r), FormatIso8601(rows.GetTimestamp(1, r)),
                       FormatIso8601(rows.GetTimestamp(2, r)), rows.GetString(3, r)};
}

}  // namespace

Result<IngestReport> IngestService::Ingest(const IngestRequest& request) {
  std::lock_guard<std::mutex> lock(mu_);
  IngestReport report;
  report.started = clock_.Now();
  ASSIGN_OR_RETURN(std::vector<std::string> paths, ExpandPaths(request.paths));
  ASSIGN_OR_RETURN(store::Connection conn, db_.Connect());
  RETURN_IF_ERROR(InstallIngestMacros(conn));

  // Every file is opened and recognised before the store is touched.
  std::vector<PlannedFile> planned;
  for (const std::string& path : paths) {
    ASSIGN_OR_RETURN(PlannedFile file, PlanFile(conn, path, request.provider));
    planned.push_back(std::move(file));
  }

  Transaction txn(conn);
  RETURN_IF_ERROR(txn.Begin());
  ASSIGN_OR_RETURN(store::QueryResult id, conn.Query("SELECT nextval('ingest_id_seq')"));
  report.ingest_id = id.GetInt64(0, 0);
  for (const PlannedFile& p : planned) {
    ASSIGN_OR_RETURN(FileReport file, InsertFile(conn, p.file, p.format, report.ingest_id));
    report.files.push_back(std::move(file));
  }
  RETURN_IF_ERROR(ApplyRules(conn, report.ingest_id, report));
  ASSIGN_OR_RETURN(report.rows_replaced, ReplaceRestatedPeriods(conn, report.ingest_id));
  for (FileReport& file : report.files) RETURN_IF_ERROR(SummarizeFile(conn, report.ingest_id, file));
  report.finished = clock_.Now();
  RETURN_IF_ERROR(conn.Exec("INSERT INTO ingests VALUES (?, ?, ?, ?)", report.ingest_id,
                            store::Timestamp{report.started}, store::Timestamp{report.finished},
                            ToJson(report).dump()));
  RETURN_IF_ERROR(txn.Commit());
  return report;
}

Result<std::vector<IngestSummary>> IngestService::List(int64_t limit) {
  ASSIGN_OR_RETURN(store::Connection conn, db_.Connect());
  ASSIGN_OR_RETURN(store::QueryResult rows,
                   conn.Run("SELECT ingest_id, started_at, finished_at, report FROM ingests "
                            "ORDER BY ingest_id DESC LIMIT ?",
                            limit));
  std::vector<IngestSummary> out;
  for (uint64_t r = 0; r < rows.RowCount(); ++r) out.push_back(SummaryRow(rows, r));
  return out;
}

Result<IngestSummary> IngestService::Get(int64_t ingest_id) {
  ASSIGN_OR_RETURN(store::Connection conn, db_.Connect());
  ASSIGN_OR_RETURN(store::QueryResult rows,
                   conn.Run("SELECT ingest_id, started_at, finished_at, report FROM ingests WHERE ingest_id = ?",
                            ingest_id));
  if (rows.RowCount() == 0) return NotFound("no ingest " + std::to_string(ingest_id));
  return SummaryRow(rows, 0);
}

}  // namespace mlcost::billing
