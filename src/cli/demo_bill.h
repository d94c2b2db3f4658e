// The sample bill `mlcost demo` ingests: 60 days of FOCUS cost lines for the demo teams (a GPU
// training instance, SageMaker, S3 storage, untagged data transfer), ending yesterday, with
// weekday seasonality and one cost spike, so the explorer, allocation and anomaly views have
// something to show.
#ifndef MLCOST_CLI_DEMO_BILL_H_
#define MLCOST_CLI_DEMO_BILL_H_

#include <cstdint>
#include <string>

#include "mlcost/status.h"

namespace mlcost::cli {

// Writes the bill as `dir`/demo-focus-bill.csv (creating `dir`) and returns its absolute path.
// Amounts are exact decimal text. Internal if the file cannot be written.
Result<std::string> WriteDemoBill(const std::string& dir, int64_t now_ms);

}  // namespace mlcost::cli

#endif  // MLCOST_CLI_DEMO_BILL_H_
