// The writes `mlcost run` makes to the server about a run after opening it, as spool events
// (agent::EventSpool), and their delivery over an ApiClient. Every body is built here so the
// spooled form is the request form.
#ifndef MLCOST_CLI_RUN_EVENTS_H_
#define MLCOST_CLI_RUN_EVENTS_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "agent/event_spool.h"
#include "agent/spool_sender.h"
#include "cli/api_client.h"

namespace mlcost::cli {

// PATCH /api/v1/runs/{id} {"status":"RUNNING","attempt_start_time":ms}: opens the next attempt.
Status SpoolAttemptStart(agent::EventSpool& spool, const std::string& run_id, int64_t start_ms);

// PATCH /api/v1/runs/{id} {"status":S,"end_time":ms,"end_cause":C}: ends the open attempt (and
// the run, until another attempt starts).
Status SpoolAttemptEnd(agent::EventSpool& spool, const std::string& run_id, const std::string& status,
                       const std::string& end_cause, int64_t end_ms);

// POST /api/2.0/mlflow/runs/log-batch with tags only.
Status SpoolTags(agent::EventSpool& spool, const std::string& run_id,
                 const std::vector<std::pair<std::string, std::string>>& tags);

// Sends one event. Delivered on a 2xx; retry when the server cannot be reached, the connection
// broke, or it answered 5xx / 429; rejected on any other answer (4xx: it can never succeed).
agent::DeliveryResult DeliverEvent(ApiClient& client, const agent::SpoolEvent& event);

}  // namespace mlcost::cli

#endif  // MLCOST_CLI_RUN_EVENTS_H_
