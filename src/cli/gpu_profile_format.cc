#include "cli/gpu_profile_format.h"

#include <cstdio>

#include "cli/api_queries.h"
#include "cli/run_format.h"

namespace mlcost::cli {
namespace {

using nlohmann::json;

std::string Number(const json& v, const char* format) {
  if (!v.is_number()) return "?";
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), format, v.get<double>());
  return buffer;
}

}  // namespace

std::string GpuProfileText(const json& profile) {
  const json gpus = Field(profile, "gpus");
  const std::string note = JsonString(profile, "note");
  if (!gpus.is_array() || gpus.empty()) return "GPU profile: none (" + note + ")\n";
  const std::string currency = JsonString(profile, "currency");
  std::string out = "GPU profile";
  if (Field(profile, "cost").is_string()) {
    out += " (run cost " + TrimMoney(JsonString(profile, "cost")) + " " + currency + " over " +
           std::to_string(gpus.size()) + " GPU" + (gpus.size() == 1 ? "" : "s") + ")";
  }
  out += ":\n";
  if (!note.empty()) out += "  note: " + note + "\n";
  for (const json& g : gpus) {
    const json util = Field(g, "utilization");
    const json memory = Field(g, "memory");
    out += "  GPU " + Number(Field(g, "index"), "%.0f");
    if (!JsonString(g, "name").empty()) out += " " + JsonString(g, "name");
    out += ": utilisation mean " + Number(Field(util, "mean"), "%.1f") + "% (p5 " +
           Number(Field(util, "p5"), "%.0f") + ", p95 " + Number(Field(util, "p95"), "%.0f") + "), idle " +
           Number(Field(util, "idle_share").is_number() ? json(Field(util, "idle_share").get<double>() * 100)
                                                        : json(),
                  "%.0f") +
           "% of " + Number(Field(g, "points"), "%.0f") + " points";
    if (Field(memory, "peak_mib").is_number()) {
      out += ", memory peak " + Number(Field(memory, "peak_mib"), "%.0f") + " / " +
             Number(Field(memory, "total_mib"), "%.0f") + " MiB";
    }
    if (Field(g, "mean_power_watts").is_number())
      out += ", " + Number(Field(g, "mean_power_watts"), "%.0f") + " W";
    if (Field(g, "energy_joules").is_number()) out += ", " + Number(Field(g, "energy_joules"), "%.0f") + " J";
    out += "\n";
    const json findings = Field(g, "findings");
    if (!findings.is_array() || findings.empty()) {
      out += "    no findings\n";
      continue;
    }
    for (const json& f : findings) {
      out += "    - " + JsonString(f, "kind") + ": " + JsonString(f, "message");
      if (Field(f, "money_impact").is_string()) {
        out += " [" + TrimMoney(JsonString(f, "money_impact")) + " " + currency + "]";
      }
      out += "\n";
    }
  }
  return out;
}

}  // namespace mlcost::cli
