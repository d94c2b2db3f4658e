// ResultEncoder: DuckDB result columns and data chunks as JSON, exactly: DECIMAL and 128-bit
// integers as decimal strings (never through a binary float), TIMESTAMP / TIMESTAMPTZ / DATE as
// ISO 8601 UTC strings, MAP as an object (keys as text), LIST / ARRAY as arrays, STRUCT as an
// object, NULL as null, NaN / ±Infinity as the strings "NaN", "Infinity", "-Infinity".
#ifndef MLCOST_SQLCONSOLE_RESULT_ENCODER_H_
#define MLCOST_SQLCONSOLE_RESULT_ENCODER_H_

#include <duckdb.h>

#include <nlohmann/json.hpp>
#include <string>

#include "common/decimal.h"
#include "mlcost/status.h"

namespace mlcost::sqlconsole {

// SQL spelling of a logical type: "DECIMAL(38,12)", "MAP(VARCHAR, VARCHAR)", "BIGINT[]".
std::string TypeName(duckdb_logical_type type);

// OK when every value of `type` can be encoded; InvalidArgument naming the type otherwise (BIT,
// VARINT, TIME WITH TIME ZONE, ...), so a query fails before it runs rather than half-way.
Status CheckEncodable(duckdb_logical_type type);

// Appends each row of `chunk` to `rows` as a JSON array, at most `max_rows` of them; returns how
// many were appended. `chunk` stays owned by the caller.
size_t AppendRows(duckdb_data_chunk chunk, size_t max_rows, nlohmann::json& rows);

// A DECIMAL's unscaled value and scale as exact text: (12345, 2) -> "123.45", (-5, 3) -> "-0.005".
std::string DecimalText(int128 unscaled, uint8_t scale);

}  // namespace mlcost::sqlconsole

#endif  // MLCOST_SQLCONSOLE_RESULT_ENCODER_H_
