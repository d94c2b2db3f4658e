#include "cli/quota_command.h"

#include <cstdio>
#include <memory>

#include "cli/api_call.h"
#include "cli/api_client.h"
#include "cli/exit_code.h"
#include "cli/target.h"
#include "cli/text_table.h"

namespace mlcost::cli {
namespace {

using nlohmann::json;

struct QuotaOptions {
  TargetOptions target;
  QuotaSetFlags set;
  std::string id;  // set: update this quota; show/delete: the quota
  std::string action_filter;
  std::string run_filter;
  std::string since;
  std::string until;
  int64_t max_results = 100;
  bool json = false;
};

std::string Who(const json& q) {
  return q.value("scope", "") == "org" ? std::string("org") : q.value("scope", "") + " " + Cell(q["name"]);
}

std::string Limit(const json& q) {
  return Cell(q["limit"]) + " " + (q.value("unit", "") == "money" ? Cell(q["currency"]) : std::string("GPU-hours"));
}

std::string Join(const json& array) {
  std::string out;
  for (const json& a : array) out += (out.empty() ? "" : ",") + Cell(a);
  return out;
}

std::string QuotaText(const json& q) {
  return "quota " + Cell(q["quota_id"]) + ": " + Who(q) + ", " + Cell(q["period"]) + ", limit " + Limit(q) +
         ", actions " + Join(q["actions"]) + "\n  webhook: " + Cell(q["webhook_url"]) +
         "  thresholds: " + Join(q["thresholds"]) +
         "  forecast alert: " + (q.value("forecast_alert", false) ? "on" : "off") + "\n";
}

int Set(const QuotaOptions& o) {
  return RunApiCall(
      "quota set", o.target, o.json,
      [&](ApiClient& c) {
        json body = QuotaSetBody(o.set);
        return o.id.empty() ? c.Post("/api/v1/quotas", body) : c.Put("/api/v1/quotas/" + o.id, body);
      },
      QuotaText);
}

int List(const QuotaOptions& o) {
  return RunApiCall(
      "quota list", o.target, o.json, [](ApiClient& c) { return c.Get("/api/v1/quotas"); },
      [](const json& answer) {
        TextTable table({"ID", "SCOPE", "PERIOD", "LIMIT", "ACTIONS", "WEBHOOK"});
        for (const json& q : answer["quotas"]) {
          table.AddRow({Cell(q["quota_id"]), Who(q), Cell(q["period"]), Limit(q), Join(q["actions"]),
                        Cell(q["webhook_url"])});
        }
        return table.rows() == 0 ? std::string("no quotas\n") : table.Render();
      });
}

int Show(const QuotaOptions& o) {
  return RunApiCall(
      "quota show", o.target, o.json, [&](ApiClient& c) { return c.Get("/api/v1/quotas/" + o.id + "/status"); },
      [](const json& s) {
        const std::string unit = s.value("unit", "") == "money" ? " " + Cell(s["currency"]) : std::string(" GPU-hours");
        char percent[32];
        std::snprintf(percent, sizeof percent, "%.1f%%", s.value("fraction", 0.0) * 100);
        return QuotaText(s["quota"]) + "  period: " + Cell(s["period_start"]) + " .. " + Cell(s["period_end"]) +
               "\n  use: " + Cell(s["use"]) + unit + " (runs " + Cell(s["use_runs"]) + " + bill " +
               Cell(s["use_billed"]) + ") of " + Cell(s["limit"]) + unit + " = " + percent +
               "  state: " + Cell(s["state"]) + "\n  forecast at period end: " + Cell(s["forecast"]) +
               "  runs counted: " + Cell(s["runs_counted"]) + " (unpriced " + Cell(s["runs_unpriced"]) +
               ")  bill lines: " + Cell(s["billed_lines"]) + "\n";
      });
}

int Delete(const QuotaOptions& o) {
  return RunApiCall(
      "quota delete", o.target, /*json=*/false, [&](ApiClient& c) { return c.Delete("/api/v1/quotas/" + o.id); },
      [&](const json&) { return "deleted quota " + o.id + "\n"; });
}

int Audit(const QuotaOptions& o) {
  QueryParams query = {{"max_results", std::to_string(o.max_results)}};
  if (!o.id.empty()) query.emplace_back("quota_id", o.id);
  if (!o.action_filter.empty()) query.emplace_back("action", o.action_filter);
  if (!o.run_filter.empty()) query.emplace_back("run_id", o.run_filter);
  if (!o.since.empty()) query.emplace_back("since", o.since);
  if (!o.until.empty()) query.emplace_back("until", o.until);
  return RunApiCall(
      "quota audit", o.target, o.json, [&](ApiClient& c) { return c.Get("/api/v1/quotas/audit", query); },
      [](const json& answer) {
        TextTable table({"AT", "QUOTA", "ACTION", "RUN", "DETAIL"});
        for (const json& e : answer["entries"]) {
          table.AddRow({Cell(e["at"]), Cell(e["quota_id"]), Cell(e["action"]), Cell(e["run_id"]), Cell(e["detail"])});
        }
        return table.rows() == 0 ? std::string("no audit entries\n") : table.Render();
      });
}

}  // namespace

json QuotaSetBody(const QuotaSetFlags& f) {
  json body = {{"scope", f.scope}, {"period", f.period}, {"limit", f.limit}};
  if (!f.name.empty()) body["name"] = f.name;
  if (!f.unit.empty()) body["unit"] = f.unit;
  if (!f.currency.empty()) body["currency"] = f.currency;
  if (!f.actions.empty()) body["actions"] = f.actions;
  if (!f.webhook.empty()) body["webhook_url"] = f.webhook;
  if (!f.thresholds.empty()) body["thresholds"] = f.thresholds;
  if (f.forecast_alert) body["forecast_alert"] = true;
  return body;
}

void AddQuotaCommand(CLI::App& app, CommandAction& action) {
  CLI::App* quota = app.add_subcommand("quota", "Budgets and quotas per user, team, project or org (docs/quotas.md)");
  quota->require_subcommand(1);

  auto set = std::make_shared<QuotaOptions>();
  CLI::App* s = quota->add_subcommand("set", "Create a quota, or replace quota --id");
  s->add_option("--scope", set->set.scope, "user, team, project or org")->required();
  s->add_option("--name", set->set.name, "The user, team or project (none for org)");
  s->add_option("--period", set->set.period, "day, week (from Monday), month or total (UTC)")->required();
  s->add_option("--limit", set->set.limit, "The limit, an exact decimal (money or GPU-hours)")->required();
  s->add_option("--unit", set->set.unit, "money (default) or gpu_hours");
  s->add_option("--currency", set->set.currency, "Currency of a money limit (default: the catalog/bill's)");
  s->add_option("--action", set->set.actions, "alert, block or stop (repeatable; default alert)");
  s->add_option("--webhook", set->set.webhook, "http(s) URL receiving Slack-format alerts");
  s->add_option("--threshold", set->set.thresholds, "Alert at this fraction of the limit (repeatable; default 0.8 and 1)");
  s->add_flag("--forecast-alert", set->set.forecast_alert, "Alert once when the period-end forecast passes the limit");
  s->add_option("--id", set->id, "Replace this quota instead of creating one");
  s->add_flag("--json", set->json, "Print the server's JSON");
  AddTargetOptions(*s, set->target);
  s->callback([set, &action] { action = [set] { return Set(*set); }; });

  auto list = std::make_shared<QuotaOptions>();
  CLI::App* l = quota->add_subcommand("list", "List every quota");
  l->add_flag("--json", list->json, "Print the server's JSON");
  AddTargetOptions(*l, list->target);
  l->callback([list, &action] { action = [list] { return List(*list); }; });

  auto show = std::make_shared<QuotaOptions>();
  CLI::App* g = quota->add_subcommand("show", "A quota with its use, forecast and state now");
  g->add_option("id", show->id, "Quota id")->required();
  g->add_flag("--json", show->json, "Print the server's JSON");
  AddTargetOptions(*g, show->target);
  g->callback([show, &action] { action = [show] { return Show(*show); }; });

  auto del = std::make_shared<QuotaOptions>();
  CLI::App* d = quota->add_subcommand("delete", "Delete a quota");
  d->add_option("id", del->id, "Quota id")->required();
  AddTargetOptions(*d, del->target);
  d->callback([del, &action] { action = [del] { return Delete(*del); }; });

  auto audit = std::make_shared<QuotaOptions>();
  CLI::App* a = quota->add_subcommand("audit", "Quota changes and enforcement actions, newest first");
  a->add_option("--quota", audit->id, "Only this quota's rows");
  a->add_option("--action", audit->action_filter,
                "quota_created, quota_updated, quota_deleted, alert_sent, alert_failed, run_blocked or run_stop");
  a->add_option("--run", audit->run_filter, "Only this run's rows");
  a->add_option("--since", audit->since, "Rows at or after this time (ISO 8601)");
  a->add_option("--until", audit->until, "Rows before this time (ISO 8601)");
  a->add_option("--max-results", audit->max_results, "At most this many rows")->capture_default_str();
  a->add_flag("--json", audit->json, "Print the server's JSON");
  AddTargetOptions(*a, audit->target);
  a->callback([audit, &action] { action = [audit] { return Audit(*audit); }; });
}

}  // namespace mlcost::cli
