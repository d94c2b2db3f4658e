// Run names and ids as MLflow makes them.
#ifndef MLCOST_TRACKING_RUN_NAMES_H_
#define MLCOST_TRACKING_RUN_NAMES_H_

#include <string>

namespace mlcost::tracking {

// A random "adjective-noun-NNN" name, like MLflow's generated run names. Thread-safe.
std::string GenerateRunName();

// A random 32-hex-digit run id (a UUID4 without dashes, as MLflow's). Thread-safe.
std::string GenerateRunId();

}  // namespace mlcost::tracking

#endif  // MLCOST_TRACKING_RUN_NAMES_H_
