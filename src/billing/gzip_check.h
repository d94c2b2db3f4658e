// Gzip integrity: DuckDB's CSV reader stops quietly at the end of a truncated gzip stream and
// loads the rows it got, so every .gz file is checked end to end (CRC and length trailer) first.
#ifndef MLCOST_BILLING_GZIP_CHECK_H_
#define MLCOST_BILLING_GZIP_CHECK_H_

#include <string>

#include "mlcost/status.h"

namespace mlcost::billing {

// Whether `path` starts with the gzip magic bytes.
bool IsGzip(const std::string& path);

// Decompresses `path` in a streaming pass (constant memory) and checks every member's trailer.
// InvalidArgument naming the file and the byte offset for a truncated or corrupt stream.
Status CheckGzip(const std::string& path);

}  // namespace mlcost::billing

#endif  // MLCOST_BILLING_GZIP_CHECK_H_
