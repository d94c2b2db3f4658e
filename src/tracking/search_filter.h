// MLflow's search syntax (mlflow/utils/search_utils.py, SearchUtils and SearchExperimentsUtils)
// compiled to parameterised SQL over mlcost's schema. Pure functions: no I/O, thread-safe.
//
// Every literal and every metric/param/tag key from the user becomes a bound `?` parameter; user
// text is never spliced into the SQL. A caller that uses both a filter and an order-by fragment in
// one statement binds the filter's params first, then the order-by's (the order of `?` in the
// text), e.g. "SELECT ... FROM runs r WHERE <filter> ORDER BY <order>".
//
// The SQL uses two DuckDB functions, epoch_ms(TIMESTAMP) and isnan(DOUBLE), because MLflow's
// wire times are epoch milliseconds and MLflow sorts NaN metrics apart from numbers; a future
// store backend maps them (PostgreSQL: EXTRACT(EPOCH ...) * 1000, value = 'NaN').
#ifndef MLCOST_TRACKING_SEARCH_FILTER_H_
#define MLCOST_TRACKING_SEARCH_FILTER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "mlcost/status.h"

namespace mlcost::tracking {

// One bound value: a string (keys, string literals), a double (metric literals, fractional
// times) or an int64 (integral epoch-millisecond literals).
using SqlValue = std::variant<std::string, double, int64_t>;

// A SQL fragment with positional `?` parameters; params[i] binds the (i+1)-th `?` in `sql`.
struct SqlFragment {
  std::string sql;
  std::vector<SqlValue> params;
};

// Compiles a run search filter into a boolean SQL expression over `runs` aliased `r`, using
// EXISTS subqueries on latest_metrics, params and tags. An empty or all-blank filter is "TRUE".
//
// Grammar: comparisons joined by AND (any case); no OR, no parentheses except IN lists.
//   identifier: metrics.k | metric.k | params.k | param.k | parameter(s).k | tags.k | tag.k |
//               attributes.k | attribute.k | attr.k | run.k | k (a bare attribute). A key with
//               spaces, dashes or other special characters is quoted with "..." or `...`;
//               an unquoted key may contain dots (tags.mlflow.runName).
//   metrics:    = != > >= < <= against a number (int or float, sign, exponent). NaN values follow
//               IEEE: they satisfy only `!=`.
//   params, tags, string attributes (run_id, run_name, status, artifact_uri, user_id; aliases
//               "run name", "Run name", "Run Name"): = != LIKE ILIKE against a '...' or "..."
//               string; string attributes also IN ('a', 'b') and NOT IN (...). LIKE is
//               case-sensitive, ILIKE is not. Inside a literal the quote is escaped by doubling
//               it ('it''s') or with a backslash.
//   numeric attributes start_time, end_time, created, Created (= start_time): = != > >= < <=
//               against epoch milliseconds. A run whose time is NULL matches nothing.
//   A run without the named metric/param/tag matches no comparison on it, `!=` included.
//
// Returns InvalidArgument with an MLflow-style message on any error; syntax errors name the
// offending token and its 1-based column. Dataset filters (datasets.*) are InvalidArgument: mlcost
// does not record dataset inputs.
Result<SqlFragment> CompileRunFilter(std::string_view filter);

// Compiles run order_by terms ("metrics.loss DESC", "params.lr", "attributes.start_time ASC",
// "tags.`my key` DESC", "run_name") into an ORDER BY list without the ORDER BY keyword. The
// direction defaults to ASC and is case-insensitive. Metrics sort as doubles, params and tags as
// strings (byte order), times chronologically.
//
// Missing values sort last in both directions, as in MLflow's SqlAlchemyStore: runs lacking the
// metric/param/tag (or with a NULL end_time) come after all others; for metrics, NaN values come
// after all numbers but before missing ones, ASC and DESC alike.
//
// The list always ends with MLflow's tiebreak "r.start_time DESC NULLS LAST, r.run_id ASC"; the
// start_time term is left out when the user already orders by start_time (or created).
// InvalidArgument on an unparsable term, an unknown entity or attribute, a direction other
// than ASC/DESC, or the same field twice ("`order_by` contains duplicate fields: ...").
Result<SqlFragment> CompileRunOrderBy(const std::vector<std::string>& order_by);

// Compiles an experiment search filter into a boolean SQL expression over `experiments` aliased
// `e`, with EXISTS subqueries on experiment_tags. Identifiers, as in MLflow: a bare attribute or
// attribute.<k> (name, creation_time, last_update_time) and tag.<k> / tags.<k>.
// name: = != LIKE ILIKE against a string; creation_time, last_update_time: = != > >= < <=
// against epoch milliseconds; tags: = != LIKE ILIKE against a string. Empty filter is "TRUE".
// InvalidArgument with an MLflow-style message otherwise.
Result<SqlFragment> CompileExperimentFilter(std::string_view filter);

// Compiles experiment order_by terms over attributes name, experiment_id, creation_time and
// last_update_time. Follows MLflow's SqlAlchemyStore.search_experiments: an empty list means
// "creation_time DESC, experiment_id ASC"; otherwise "experiment_id DESC" is appended as the
// tiebreak unless the user orders by experiment_id. Tags are not orderable (InvalidArgument).
Result<SqlFragment> CompileExperimentOrderBy(const std::vector<std::string>& order_by);

}  // namespace mlcost::tracking

#endif  // MLCOST_TRACKING_SEARCH_FILTER_H_
