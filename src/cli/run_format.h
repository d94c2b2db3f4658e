// Text for the terminal from the /api/v1 shapes (docs/api.md): experiment and run
// tables and the `runs show` page. Pure functions of their input and `now`, so they are tested
// without a server.
#ifndef MLCOST_CLI_RUN_FORMAT_H_
#define MLCOST_CLI_RUN_FORMAT_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/time_util.h"

namespace mlcost::cli {

// "2026-11-26T15:04:05.123Z" -> "2026-11-26 15:04:05"; "" for null; other text unchanged.
std::string ShortTime(const nlohmann::json& iso);

// 59 -> "59s", 3725 -> "1h 02m 05s", 90061 -> "1d 01h 01m"; negative counts as 0.
std::string FormatDuration(int64_t seconds);

// Seconds from the run's start_time to its end_time (or `now` while it has none); -1 when the
// start is missing or unparseable.
int64_t RunDurationSeconds(const nlohmann::json& run, Micros now);

// A decimal money string with trailing zeros trimmed to at least two decimals, never rounded:
// "1.530000000000" -> "1.53", "0.000850" -> "0.00085", "3" -> "3.00".
std::string TrimMoney(const std::string& amount);

// "1.53 USD" from a run's cost, "-" when the cost is null (unknown).
std::string CostCell(const nlohmann::json& run);

// ID  NAME  STAGE  CREATED (UTC)
std::string ExperimentTable(const std::vector<nlohmann::json>& experiments);
// RUN ID  NAME  EXPERIMENT  STATUS  STARTED (UTC)  DURATION  COST
std::string RunTable(const std::vector<nlohmann::json>& runs, Micros now);

// The cost block of `runs show`: hourly price, currency, price source, billable seconds and cost
// so far (and the server's note on the price, if any), or "cost: unknown (<cost_reason>)".
std::string CostBlock(const nlohmann::json& run);
// Everything `runs show` prints for one run: identity, times, resources, attribution, cost,
// params, latest metrics, tags, attempts.
std::string RunDetails(const nlohmann::json& run, Micros now);

}  // namespace mlcost::cli

#endif  // MLCOST_CLI_RUN_FORMAT_H_
