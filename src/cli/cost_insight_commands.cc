#include "cli/cost_insight_commands.h"

#include <cstdio>
#include <memory>

#include "cli/api_queries.h"
#include "cli/exit_code.h"
#include "cli/target.h"
#include "cli/text_table.h"
#include "common/decimal.h"

namespace mlcost::cli {
namespace {

struct InsightOptions {
  TargetOptions target;
  std::string scope = "service_name";
  std::string metric = "effective";
  std::string since, until, min_impact, direction = "up";
  std::string month;
  bool json = false;
};

// A money string rounded to cents; anything unparsable is shown as it came.
std::string Cents(const nlohmann::json& value) {
  if (!value.is_string()) return value.is_null() ? "" : value.dump();
  auto d = Decimal::Parse(value.get<std::string>());
  return d.ok() ? d->ToFixed(2) : value.get<std::string>();
}

std::string Percent(const nlohmann::json& value) {
  if (!value.is_number()) return "";
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%+.1f%%", value.get<double>());
  return buf;
}

void AddCommon(CLI::App& command, InsightOptions& o) {
  AddTargetOptions(command, o.target);
  command.add_option("--scope", o.scope,
                     "service_name, service_category, sub_account_id, billing_account_id, region_id, "
                     "provider_name, tag:KEY (e.g. tag:team) or total")
      ->capture_default_str();
  command.add_option("--metric", o.metric, "effective, billed or list")
      ->capture_default_str()
      ->check(CLI::IsMember({"effective", "billed", "list"}));
  command.add_flag("--json", o.json, "Print the server's JSON instead of a table");
}

int RunAnomalies(const InsightOptions& o) {
  auto target = Target::Open(o.target);
  if (!target.ok()) return ReportError("anomalies", target.status());
  QueryParams query = {{"scope", o.scope}, {"metric", o.metric}, {"direction", o.direction},
                       {"max_results", "50000"}};
  if (!o.since.empty()) query.emplace_back("since", o.since);
  if (!o.until.empty()) query.emplace_back("until", o.until);
  if (!o.min_impact.empty()) query.emplace_back("min_impact", o.min_impact);
  auto answer = (*target)->client().Get("/api/v1/anomalies", query);
  if (!answer.ok()) return ReportError("anomalies", answer.status());
  if (o.json) {
    std::printf("%s\n", answer->dump(2).c_str());
    return kExitOk;
  }
  const nlohmann::json anomalies = Field(*answer, "anomalies");
  if (Field(*answer, "since").is_null()) {
    std::printf("no costs\n");
    return kExitOk;
  }
  if (!anomalies.is_array() || anomalies.empty()) {
    std::printf("no anomalies by %s from %s to %s (%s series)\n", o.scope.c_str(),
                JsonString(*answer, "since").c_str(), JsonString(*answer, "until").c_str(),
                JsonString(*answer, "series").c_str());
    return kExitOk;
  }
  std::fputs(AnomalyTable(anomalies).c_str(), stdout);
  return kExitOk;
}

int RunForecast(const InsightOptions& o) {
  auto target = Target::Open(o.target);
  if (!target.ok()) return ReportError("forecast", target.status());
  QueryParams query = {{"scope", o.scope}, {"metric", o.metric}};
  if (!o.month.empty()) query.emplace_back("month", o.month);
  auto answer = (*target)->client().Get("/api/v1/forecast", query);
  if (!answer.ok()) return ReportError("forecast", answer.status());
  if (o.json) {
    std::printf("%s\n", answer->dump(2).c_str());
    return kExitOk;
  }
  std::fputs(ForecastTable(*answer).c_str(), stdout);
  return kExitOk;
}

}  // namespace

std::string AnomalyTable(const nlohmann::json& anomalies) {
  TextTable table({"DATE", "SCOPE", "VALUE", "EXPECTED", "ACTUAL", "IMPACT", "IMPACT%", "CURRENCY"});
  for (const nlohmann::json& a : anomalies) {
    table.AddRow({JsonString(a, "date"), JsonString(a, "scope"), JsonString(a, "value"), Cents(Field(a, "expected")),
                  Cents(Field(a, "actual")), Cents(Field(a, "impact")), Percent(Field(a, "impact_percent")),
                  JsonString(a, "currency")});
  }
  return table.Render();
}

std::string ForecastTable(const nlohmann::json& report) {
  if (Field(report, "as_of").is_null()) return "no costs up to " + JsonString(report, "month") + "\n";
  std::string out = "forecast for " + JsonString(report, "month") + " by " + JsonString(report, "scope") +
                    ", as of " + JsonString(report, "as_of") + " (" + JsonString(report, "days_remaining") +
                    " days remaining; interval 80 %)\n";
  TextTable table({"VALUE", "MONTH_TO_DATE", "FORECAST", "LOW", "HIGH", "CURRENCY"});
  const nlohmann::json forecasts = Field(report, "forecasts");
  if (forecasts.is_array()) {
    for (const nlohmann::json& f : forecasts) {
      const nlohmann::json interval = Field(f, "interval");
      table.AddRow({JsonString(f, "value"), Cents(Field(f, "month_to_date")), Cents(Field(f, "forecast")),
                    Cents(Field(interval, "low")), Cents(Field(interval, "high")), JsonString(f, "currency")});
    }
  }
  if (table.rows() == 0) return out + "no costs\n";
  return out + table.Render();
}

void AddAnomaliesCommand(CLI::App& app, CommandAction& action) {
  auto o = std::make_shared<InsightOptions>();
  CLI::App* cmd = app.add_subcommand("anomalies", "Days whose cost is far above its weekday-aware baseline");
  AddCommon(*cmd, *o);
  cmd->add_option("--since", o->since, "First day (YYYY-MM-DD); default 29 days before --until");
  cmd->add_option("--until", o->until, "Last day (YYYY-MM-DD); default the last day with costs");
  cmd->add_option("--min-impact", o->min_impact, "Smallest impact (actual - expected) to show, e.g. 25");
  cmd->add_option("--direction", o->direction, "up, down or both")
      ->capture_default_str()
      ->check(CLI::IsMember({"up", "down", "both"}));
  cmd->callback([o, &action] { action = [o] { return RunAnomalies(*o); }; });
}

void AddForecastCommand(CLI::App& app, CommandAction& action) {
  auto o = std::make_shared<InsightOptions>();
  CLI::App* cmd = app.add_subcommand("forecast", "Month-end cost forecast per scope value");
  AddCommon(*cmd, *o);
  cmd->add_option("--month", o->month, "YYYY-MM; default the month of the last day with costs");
  cmd->callback([o, &action] { action = [o] { return RunForecast(*o); }; });
}

}  // namespace mlcost::cli
