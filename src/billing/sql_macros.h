// The SQL helpers the mapping templates call (mlcost_money, mlcost_ts, mlcost_json_tags, ...),
// installed as TEMP macros on the connection that runs an ingest.
#ifndef MLCOST_BILLING_SQL_MACROS_H_
#define MLCOST_BILLING_SQL_MACROS_H_

#include "mlcost/status.h"
#include "store/connection.h"

namespace mlcost::billing {

// Installs the macros on `conn` and sets its time zone to UTC (so offsets in source timestamps
// convert to UTC and strings without one are read as UTC). Idempotent.
Status InstallIngestMacros(store::Connection& conn);

}  // namespace mlcost::billing

#endif  // MLCOST_BILLING_SQL_MACROS_H_
