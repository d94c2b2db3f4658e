#include "cli/sql_command.h"

#include <cstdio>
#include <memory>
#include <string>

#include "cli/api_client.h"
#include "cli/exit_code.h"
#include "cli/sql_format.h"
#include "cli/target.h"
#include "cli/text_table.h"

namespace mlcost::cli {
namespace {

using Json = nlohmann::json;

struct SqlOptions {
  TargetOptions target;
  std::string sql;
  bool json = false;
  bool csv = false;
  int64_t max_rows = 0;
  double timeout_s = 0;
};

int RunSql(const SqlOptions& options) {
  auto target = Target::Open(options.target);
  if (!target.ok()) return ReportError("sql", target.status());
  Json body = {{"sql", options.sql}};
  if (options.max_rows > 0) body["max_rows"] = options.max_rows;
  if (options.timeout_s > 0) body["timeout_ms"] = static_cast<int64_t>(options.timeout_s * 1000);
  auto answer = (*target)->client().Post("/api/v1/sql", body);
  if (!answer.ok()) return ReportError("sql", answer.status());
  if (options.json) {
    std::printf("%s\n", answer->dump(2).c_str());
    return kExitOk;
  }
  std::fputs((options.csv ? SqlCsv(*answer) : SqlTable(*answer)).c_str(), stdout);
  if (answer->value("truncated", false)) {
    std::fprintf(stderr, "mlcost sql: truncated at %lld rows (pass --max-rows, or aggregate)\n",
                 static_cast<long long>(answer->value("row_count", 0)));
  }
  return kExitOk;
}

std::string Text(const Json& q, const char* key) {
  return q.is_object() && q.contains(key) ? (q[key].is_null() ? std::string("-") : CellText(q[key])) : "";
}

struct QueriesOptions {
  TargetOptions target;
  bool json = false;
  std::string name;
  std::string sql;
  std::string format = "csv";
  std::string output_dir;
  std::string every;
};

int PrintQuery(const Json& q, bool json) {
  if (json) {
    std::printf("%s\n", q.dump(2).c_str());
    return kExitOk;
  }
  TextTable t({"field", "value"});
  for (const char* key : {"name", "format", "output_dir", "interval_seconds", "next_run_at", "last_run_at",
                          "last_status", "last_row_count", "last_output", "last_error", "sql"}) {
    t.AddRow({key, Text(q, key)});
  }
  std::fputs(t.Render("", false).c_str(), stdout);
  return kExitOk;
}

int RunQueries(const std::string& verb, const QueriesOptions& o) {
  const std::string command = "queries " + verb;
  auto target = Target::Open(o.target);
  if (!target.ok()) return ReportError(command, target.status());
  ApiClient& client = (*target)->client();
  if (verb == "list") {
    auto list = client.Get("/api/v1/queries");
    if (!list.ok()) return ReportError(command, list.status());
    if (o.json) {
      std::printf("%s\n", list->dump(2).c_str());
      return kExitOk;
    }
    TextTable t({"NAME", "FORMAT", "EVERY_S", "NEXT_RUN", "LAST_RUN", "STATUS", "ROWS", "OUTPUT"});
    for (const Json& q : list->value("queries", Json::array())) {
      t.AddRow({Text(q, "name"), Text(q, "format"), Text(q, "interval_seconds"), Text(q, "next_run_at"),
                Text(q, "last_run_at"), Text(q, "last_status"), Text(q, "last_row_count"),
                Text(q, "last_output")});
    }
    std::fputs(t.Render().c_str(), stdout);
    return kExitOk;
  }
  Result<Json> r = Internal("unknown verb");
  if (verb == "add") {
    Json body = {{"name", o.name}, {"sql", o.sql}, {"format", o.format}, {"output_dir", o.output_dir}};
    if (!o.every.empty()) body["interval"] = o.every;
    r = client.Post("/api/v1/queries", body);
  } else if (verb == "run") {
    r = client.Post("/api/v1/queries/" + o.name + "/run", Json::object());
  } else if (verb == "rm") {
    r = client.Delete("/api/v1/queries/" + o.name);
    if (r.ok() && !o.json) return kExitOk;
  }
  if (!r.ok()) return ReportError(command, r.status());
  int code = PrintQuery(*r, o.json);
  if (verb == "run" && r->value("last_status", "") == "error") {
    std::fprintf(stderr, "mlcost %s: the run failed: %s\n", command.c_str(), Text(*r, "last_error").c_str());
    return kExitFailure;
  }
  return code;
}

void AddQueriesVerb(CLI::App& queries, CommandAction& action, const std::string& verb, const char* help) {
  auto o = std::make_shared<QueriesOptions>();
  CLI::App* cmd = queries.add_subcommand(verb, help);
  if (verb != "list") cmd->add_option("name", o->name, "The saved query's name")->required();
  if (verb == "add") {
    cmd->add_option("sql", o->sql, "One SELECT (docs/sql.md)")->required();
    cmd->add_option("--format", o->format, "csv or parquet")
        ->capture_default_str()
        ->check(CLI::IsMember({"csv", "parquet"}));
    cmd->add_option("--output-dir", o->output_dir,
                    "Folder under the server's export root (default: the root)");
    cmd->add_option("--every", o->every, "Run every interval: 15m, 1h, 1d, \"every 5 minutes\", daily ...");
  }
  AddTargetOptions(*cmd, o->target);
  cmd->add_flag("--json", o->json, "Print the server's JSON");
  cmd->callback([o, verb, &action] { action = [o, verb] { return RunQueries(verb, *o); }; });
}

}  // namespace

void AddSqlCommands(CLI::App& app, CommandAction& action) {
  auto options = std::make_shared<SqlOptions>();
  CLI::App* sql =
      app.add_subcommand("sql", "Run one read-only SELECT over costs, run_summary, run_metrics ...");
  sql->add_option("query", options->sql, "The SELECT statement (docs/sql.md lists the views)")->required();
  AddTargetOptions(*sql, options->target);
  auto* json = sql->add_flag("--json", options->json, "Print the server's JSON answer");
  sql->add_flag("--csv", options->csv, "Print CSV (header line first)")->excludes(json);
  sql->add_option("--max-rows", options->max_rows, "Rows to return at most (the server caps it)")
      ->check(CLI::Range(int64_t{1}, int64_t{10000000}));
  sql->add_option("--timeout", options->timeout_s, "Time limit in seconds (the server caps it)")
      ->check(CLI::Range(0.001, 86400.0));
  sql->callback([options, &action] { action = [options] { return RunSql(*options); }; });

  CLI::App* queries = app.add_subcommand("queries", "Saved queries exported as CSV or Parquet on a schedule");
  queries->require_subcommand(1);
  AddQueriesVerb(*queries, action, "list", "List saved queries and their last run");
  AddQueriesVerb(*queries, action, "add", "Save a query (checked now) to export on demand or every interval");
  AddQueriesVerb(*queries, action, "run", "Run a saved query now and write its file");
  AddQueriesVerb(*queries, action, "rm", "Delete a saved query (its last file stays)");
}

}  // namespace mlcost::cli
