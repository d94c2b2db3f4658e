#include "cli/run_format.h"

#include <cstdio>

#include "cli/api_queries.h"
#include "cli/text_table.h"

namespace mlcost::cli {
namespace {

using nlohmann::json;

std::string NumberText(const json& value) {
  if (value.is_number()) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.6g", value.get<double>());
    return buf;
  }
  return value.is_string() ? value.get<std::string>() : value.is_null() ? "" : value.dump();
}

std::string OrDash(const std::string& text) { return text.empty() ? "-" : text; }

// The lines of a {key: value} object as an indented two-column block, keys sorted (json objects
// iterate in key order).
std::string MapBlock(const json& map, const std::string& title) {
  if (!map.is_object() || map.empty()) return title + ": (none)\n";
  TextTable table({"KEY", "VALUE"});
  for (auto it = map.begin(); it != map.end(); ++it) {
    table.AddRow({it.key(), it->is_string() ? it->get<std::string>() : it->dump()});
  }
  return title + ":\n" + table.Render("  ", /*header=*/false);
}

std::string ResourcesText(const json& run) {
  json r = Field(run, "resources");
  std::string instance = JsonString(r, "instance_type");
  if (instance.empty()) return "(none: tag mlcost.instance_type to price the run)";
  std::string where;
  for (const char* key : {"provider", "region", "pricing"}) {
    std::string part = JsonString(r, key);
    if (part.empty()) continue;
    where += (where.empty() ? "" : ", ") + part;
  }
  std::string gpus = JsonString(r, "gpu_count");
  std::string accelerator = JsonString(r, "accelerator");
  if (!gpus.empty()) {
    where += (where.empty() ? "" : ", ") + gpus + "x " + (accelerator.empty() ? "GPU" : accelerator);
  } else if (!accelerator.empty()) {
    where += (where.empty() ? "" : ", ") + accelerator;
  }
  return where.empty() ? instance : instance + " (" + where + ")";
}

}  // namespace

std::string ShortTime(const json& iso) {
  if (!iso.is_string()) return "";
  std::string text = iso.get<std::string>();
  if (text.size() < 19 || text[10] != 'T') return text;
  text = text.substr(0, 19);
  text[10] = ' ';
  return text;
}

std::string FormatDuration(int64_t seconds) {
  if (seconds < 0) seconds = 0;
  int64_t d = seconds / 86400, h = seconds / 3600 % 24, m = seconds / 60 % 60, s = seconds % 60;
  char buf[64];
  if (d > 0) {
    std::snprintf(buf, sizeof buf, "%lldd %02lldh %02lldm", static_cast<long long>(d),
                  static_cast<long long>(h), static_cast<long long>(m));
  } else if (h > 0) {
    std::snprintf(buf, sizeof buf, "%lldh %02lldm %02llds", static_cast<long long>(h),
                  static_cast<long long>(m), static_cast<long long>(s));
  } else if (m > 0) {
    std::snprintf(buf, sizeof buf, "%lldm %02llds", static_cast<long long>(m), static_cast<long long>(s));
  } else {
    std::snprintf(buf, sizeof buf, "%llds", static_cast<long long>(s));
  }
  return buf;
}

int64_t RunDurationSeconds(const json& run, Micros now) {
  Result<Micros> start = ParseIso8601(JsonString(run, "start_time"));
  if (!start.ok()) return -1;
  Micros end = now;
  std::string end_text = JsonString(run, "end_time");
  if (!end_text.empty()) {
    Result<Micros> parsed = ParseIso8601(end_text);
    if (!parsed.ok()) return -1;
    end = *parsed;
  }
  return end > *start ? (end - *start) / kMicrosPerSecond : 0;
}

std::string TrimMoney(const std::string& amount) {
  size_t dot = amount.find('.');
  if (dot == std::string::npos) return amount.empty() ? amount : amount + ".00";
  std::string out = amount;
  while (out.size() > dot + 3 && out.back() == '0') out.pop_back();
  while (out.size() < dot + 3) out += '0';
  return out;
}

std::string CostCell(const json& run) {
  json cost = Field(run, "cost");
  if (!cost.is_object()) return "-";
  return TrimMoney(JsonString(cost, "cost_so_far")) + " " + JsonString(cost, "currency");
}

std::string ExperimentTable(const std::vector<json>& experiments) {
  TextTable table({"ID", "NAME", "STAGE", "CREATED (UTC)"});
  for (const json& e : experiments) {
    table.AddRow({JsonString(e, "id"), JsonString(e, "name"), JsonString(e, "lifecycle_stage"),
                  ShortTime(Field(e, "creation_time"))});
  }
  return table.Render();
}

std::string RunTable(const std::vector<json>& runs, Micros now) {
  TextTable table({"RUN ID", "NAME", "EXPERIMENT", "STATUS", "STARTED (UTC)", "DURATION", "COST"});
  for (const json& r : runs) {
    int64_t seconds = RunDurationSeconds(r, now);
    table.AddRow({JsonString(r, "id"), JsonString(r, "name"), JsonString(r, "experiment_id"),
                  JsonString(r, "status"), ShortTime(Field(r, "start_time")),
                  seconds < 0 ? "-" : FormatDuration(seconds), CostCell(r)});
  }
  return table.Render();
}

std::string CostBlock(const json& run) {
  json cost = Field(run, "cost");
  if (!cost.is_object()) {
    std::string reason = JsonString(run, "cost_reason");
    return "cost: unknown (" + (reason.empty() ? std::string("no reason given") : reason) + ")\n";
  }
  std::string currency = JsonString(cost, "currency");
  std::string seconds = JsonString(cost, "billable_seconds");
  std::string so_far = TrimMoney(JsonString(cost, "cost_so_far")) + " " + currency;
  json final_flag = Field(cost, "final");
  if (final_flag.is_boolean()) so_far += final_flag.get<bool>() ? " (final)" : " (still running)";
  TextTable table({"", ""});
  table.AddRow({"hourly price", TrimMoney(JsonString(cost, "hourly_price")) + " " + currency + "/h"});
  table.AddRow({"currency", currency});
  table.AddRow({"price source", OrDash(JsonString(cost, "price_source"))});
  std::string billable = seconds;
  if (Field(cost, "billable_seconds").is_number_integer()) {
    billable += " (" + FormatDuration(Field(cost, "billable_seconds").get<int64_t>()) + ")";
  }
  table.AddRow({"billable seconds", billable});
  table.AddRow({"cost so far", so_far});
  std::string note = JsonString(cost, "note");
  if (!note.empty()) table.AddRow({"note", note});
  return "cost:\n" + table.Render("  ", /*header=*/false);
}

std::string RunDetails(const json& run, Micros now) {
  int64_t seconds = RunDurationSeconds(run, now);
  json attribution = Field(run, "attribution");
  TextTable head({"", ""});
  head.AddRow({"run", JsonString(run, "id")});
  head.AddRow({"name", OrDash(JsonString(run, "name"))});
  head.AddRow({"experiment", JsonString(run, "experiment_id")});
  head.AddRow(
      {"status", JsonString(run, "status") + " (" + OrDash(JsonString(run, "lifecycle_stage")) + ")"});
  head.AddRow({"started", OrDash(JsonString(run, "start_time"))});
  head.AddRow({"ended", OrDash(JsonString(run, "end_time"))});
  head.AddRow({"duration", seconds < 0 ? "-" : FormatDuration(seconds)});
  head.AddRow({"artifact uri", OrDash(JsonString(run, "artifact_uri"))});
  head.AddRow({"resources", ResourcesText(run)});
  head.AddRow({"user", OrDash(JsonString(attribution, "user").empty() ? JsonString(run, "user")
                                                                      : JsonString(attribution, "user"))});
  head.AddRow({"team", OrDash(JsonString(attribution, "team"))});
  head.AddRow({"project", OrDash(JsonString(attribution, "project"))});
  std::string out =
      head.Render("", /*header=*/false) + CostBlock(run) + MapBlock(Field(run, "params"), "params");

  json metrics = Field(run, "metrics");
  if (!metrics.is_object() || metrics.empty()) {
    out += "metrics: (none)\n";
  } else {
    TextTable table({"KEY", "VALUE", "STEP"});
    for (auto it = metrics.begin(); it != metrics.end(); ++it) {
      table.AddRow({it.key(), NumberText(Field(*it, "value")), "step " + NumberText(Field(*it, "step"))});
    }
    out += "metrics (latest):\n" + table.Render("  ", /*header=*/false);
  }
  out += MapBlock(Field(run, "tags"), "tags");

  json attempts = Field(run, "attempts");
  if (attempts.is_array() && !attempts.empty()) {
    TextTable table({"ATTEMPT", "STARTED", "ENDED", "END CAUSE", "DURATION", "COST"});
    for (const json& a : attempts) {
      json seconds = Field(a, "duration_seconds");
      table.AddRow({JsonString(a, "attempt"), ShortTime(Field(a, "start_time")),
                    OrDash(ShortTime(Field(a, "end_time"))), OrDash(JsonString(a, "end_cause")),
                    seconds.is_number_integer() ? FormatDuration(seconds.get<int64_t>()) : "-",
                    OrDash(TrimMoney(JsonString(a, "cost")))});
    }
    out += "attempts:\n" + table.Render("  ");
  }
  return out;
}

}  // namespace mlcost::cli
