// A hand-written scanner for MLflow's search grammar (MLflow itself leans on sqlparse), then one
// table-driven compiler for runs and experiments. Error texts follow search_utils.py and
// sqlalchemy_store.py so that MLflow users see familiar messages; syntax errors add the column.
#include "tracking/search_filter.h"

#include <algorithm>
#include <charconv>
#include <optional>
#include <set>
#include <utility>

namespace mlcost::tracking {
namespace {

bool IsIdentChar(char c) {
  const auto u = static_cast<unsigned char>(c);
  return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || u == '_' || u >= 0x80;
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
bool IsQuote(char c) { return c == '\'' || c == '"' || c == '`'; }

// "['a', 'b']", the way MLflow's messages print its key and comparator collections.
std::string ListString(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) out += (i ? ", '" : "'") + items[i] + "'";
  return out + "]";
}

struct Identifier {
  bool has_entity = false;
  std::string entity;  // before the first '.', quotes removed
  std::string key;     // quotes removed
};

enum class ValueKind { kString, kNumber, kList, kBareWord };

struct Value {
  ValueKind kind = ValueKind::kString;
  std::string raw;   // as written, for messages
  std::string text;  // the unquoted string
  std::vector<std::string> list;
  double number = 0;
  std::optional<int64_t> integer;  // set for a number written without '.' or exponent
};

struct Clause {
  Identifier ident;
  std::string op;  // "=", "!=", "<", ..., "LIKE", "ILIKE", "IN", "NOT IN"
  Value value;
};

// Walks the text once. Parse* skip leading blanks; errors name the token and 1-based column.
class Scanner {
 public:
  explicit Scanner(std::string_view text) : s_(text) {}

  bool AtEnd() {
    while (pos_ < s_.size() && IsSpace(s_[pos_])) ++pos_;
    return pos_ >= s_.size();
  }
  char Peek(size_t ahead = 0) const { return pos_ + ahead < s_.size() ? s_[pos_ + ahead] : '\0'; }

  Status Error(const std::string& message) const {
    return InvalidArgument(message + " at column " + std::to_string(pos_ + 1));
  }
  Status Unexpected(const std::string& expected) const {
    return Error("Invalid comparison clause. Expected " + expected + " found " + NextToken());
  }

  // The text at the cursor up to the next blank (at most 40 characters), quoted, for messages.
  std::string NextToken() const {
    size_t end = pos_;
    while (end < s_.size() && !IsSpace(s_[end]) && end - pos_ < 40) ++end;
    return end == pos_ ? "end of input" : "'" + std::string(s_.substr(pos_, end - pos_)) + "'";
  }

  // Consumes `upper` (an upper-case keyword) when it is the next whole word, in any case.
  bool ConsumeKeyword(std::string_view upper) {
    if (AtEnd() || IsIdentChar(Peek(upper.size()))) return false;
    for (size_t i = 0; i < upper.size(); ++i) {
      if ((Peek(i) & ~0x20) != upper[i]) return false;  // clearing 0x20 upper-cases ASCII letters only
    }
    pos_ += upper.size();
    return true;
  }

  // Reads identifier characters (and dots when `dots`).
  std::string ReadWord(bool dots) {
    const size_t start = pos_;
    while (IsIdentChar(Peek()) || (dots && Peek() == '.')) ++pos_;
    return std::string(s_.substr(start, pos_ - start));
  }

  // A quoted name, or a word (with dots when `dots`).
  Result<std::string> ReadName(bool dots) {
    if (IsQuote(Peek())) return ReadQuoted();
    return ReadWord(dots);
  }

  // identifier := name | name '.' name-with-dots; the first name may not be single-quoted.
  Result<Identifier> ParseIdentifier() {
    Identifier id;
    if (AtEnd() || !(IsIdentChar(Peek()) || Peek() == '`' || Peek() == '"'))
      return Unexpected("'Identifier'");
    ASSIGN_OR_RETURN(id.key, ReadName(false));
    if (Peek() != '.') return id;
    ++pos_;
    id.has_entity = true;
    id.entity = std::move(id.key);
    ASSIGN_OR_RETURN(id.key, ReadName(true));
    if (id.key.empty()) return Error("Invalid identifier: expected a key after '" + id.entity + ".'");
    return id;
  }

  Result<std::string> ParseOperator() {
    const bool glued = pos_ < s_.size() && !IsSpace(Peek());
    if (AtEnd()) return Unexpected("comparison");
    const size_t start = pos_;
    while (Peek() && std::string_view("=!<>").find(Peek()) != std::string_view::npos) ++pos_;
    if (pos_ > start) return std::string(s_.substr(start, pos_ - start));
    for (std::string_view op : {"LIKE", "ILIKE", "IN"}) {
      if (ConsumeKeyword(op)) return std::string(op);
    }
    if (ConsumeKeyword("NOT")) {
      if (ConsumeKeyword("IN")) return std::string("NOT IN");
      return Unexpected("IN after NOT");
    }
    const Status error = Unexpected("comparison");
    return glued ? InvalidArgument(error.message() + " (quote such keys: metrics.`val-loss`)") : error;
  }

  // value := quoted string | number | '(' quoted (',' quoted)* ')' | bare word (an error later)
  Result<Value> ParseValue() {
    Value v;
    if (AtEnd()) return Unexpected("value token");
    const size_t start = pos_;
    const char c = Peek();
    if (c == '\'' || c == '"') {
      ASSIGN_OR_RETURN(v.text, ReadQuoted());
    } else if (c == '(') {
      v.kind = ValueKind::kList;
      RETURN_IF_ERROR(ReadList(v.list));
    } else if (IsDigit(c) || ((c == '-' || c == '+' || c == '.') &&
                              (IsDigit(Peek(1)) || (c != '.' && Peek(1) == '.' && IsDigit(Peek(2)))))) {
      v.kind = ValueKind::kNumber;
      ++pos_;
      while (IsIdentChar(Peek()) || Peek() == '.' ||
             ((Peek() == '-' || Peek() == '+') && (s_[pos_ - 1] == 'e' || s_[pos_ - 1] == 'E'))) {
        ++pos_;
      }
      const std::string_view body = s_.substr(start + (c == '+'), pos_ - start - (c == '+'));
      const char* end = body.data() + body.size();
      const auto [ptr, ec] = std::from_chars(body.data(), end, v.number);
      if (ptr != end) {
        pos_ = start;
        return Unexpected("value token");
      }
      if (ec != std::errc()) return Error("Numeric value " + std::string(body) + " is out of range");
      int64_t integer = 0;
      if (body.find_first_of(".eE") == std::string_view::npos &&
          std::from_chars(body.data(), end, integer).ec == std::errc()) {
        v.integer = integer;
      }
    } else if (c == '`' || IsIdentChar(c)) {
      v.kind = ValueKind::kBareWord;
      RETURN_IF_ERROR(ReadName(true).status());
    } else {
      return Unexpected("value token");
    }
    v.raw = std::string(s_.substr(start, pos_ - start));
    return v;
  }

 private:
  // At a quote: reads through the matching quote. A doubled quote or a backslash before the quote
  // stands for the quote; a backslash pair is kept as is (consumed as a pair, as sqlparse does).
  Result<std::string> ReadQuoted() {
    const char q = Peek();
    const size_t start = pos_++;
    std::string out;
    for (; pos_ < s_.size(); ++pos_) {
      const char c = s_[pos_];
      if (c == q && Peek(1) != q) {
        ++pos_;
        return out;
      }
      if ((c == '\\' || c == q) && Peek(1) == q) {
        ++pos_;  // an escaped quote: keep the quote
      } else if (c == '\\' && Peek(1) == '\\') {
        out += s_[pos_++];  // a backslash pair: keep both
      }
      out += s_[pos_];
    }
    pos_ = start;
    return Error(std::string("Unterminated quoted string (") + q + ")");
  }

  // list := '(' quoted (',' quoted)* ')'
  Status ReadList(std::vector<std::string>& out) {
    const std::string expected = "While parsing a list in the query, expected ";
    do {
      ++pos_;  // '(' or ','
      if (!AtEnd() && Peek() == ')' && out.empty()) {
        return Error(expected + "a non-empty list of string values, but got empty list");
      }
      if (AtEnd() || (Peek() != '\'' && Peek() != '"')) {
        return Error(expected + "string value, punctuation, or whitespace, but got different type in list: " +
                     NextToken());
      }
      ASSIGN_OR_RETURN(std::string item, ReadQuoted());
      out.push_back(std::move(item));
    } while (!AtEnd() && Peek() == ',');
    if (AtEnd() || Peek() != ')') {
      return Error(expected + "a non-empty list of string values, but got ill-formed list: " + NextToken());
    }
    ++pos_;
    return Status::Ok();
  }

  std::string_view s_;
  size_t pos_ = 0;
};

// filter := comparison (AND comparison)*, or blank.
Result<std::vector<Clause>> ParseClauses(std::string_view filter) {
  Scanner s(filter);
  std::vector<Clause> clauses;
  if (s.AtEnd()) return clauses;
  while (true) {
    Clause c;
    ASSIGN_OR_RETURN(c.ident, s.ParseIdentifier());
    ASSIGN_OR_RETURN(c.op, s.ParseOperator());
    ASSIGN_OR_RETURN(c.value, s.ParseValue());
    clauses.push_back(std::move(c));
    if (s.AtEnd()) return clauses;
    if (!s.ConsumeKeyword("AND")) {
      return s.Error("Invalid clause(s) in filter string: " + s.NextToken() +
                     ". Comparisons can only be joined with AND");
    }
  }
}

struct OrderTerm {
  Identifier ident;
  bool ascending = true;
};

// term := identifier [ASC | DESC], as MLflow's _parse_order_by_string.
Result<OrderTerm> ParseOrderTerm(std::string_view text) {
  const Status unparsable =
      InvalidArgument("Invalid order_by clause '" + std::string(text) + "'. Could not be parsed.");
  Scanner s(text);
  Result<Identifier> ident = s.ParseIdentifier();
  if (!ident.ok()) return unparsable;
  OrderTerm term{std::move(ident).value()};
  if (s.AtEnd()) return term;
  term.ascending = !s.ConsumeKeyword("DESC");
  if (term.ascending && !s.ConsumeKeyword("ASC")) {
    if (s.ReadWord(false).empty()) return unparsable;
    return InvalidArgument("Invalid ordering key in order_by clause '" + std::string(text) + "'.");
  }
  if (!s.AtEnd()) return unparsable;
  return term;
}

// Appends SQL text and bound values.
struct Builder {
  template <typename... Parts>
  Builder& Sql(const Parts&... parts) {
    (out.sql.append(std::string_view(parts)), ...);
    return *this;
  }
  Builder& Param(SqlValue v) {
    out.params.push_back(std::move(v));
    return Sql("?");
  }
  SqlFragment out;
};

bool Contains(const std::vector<std::string>& set, const std::string& item) {
  return std::find(set.begin(), set.end(), item) != set.end();
}

const std::vector<std::string> kNumericOps = {"=", "!=", ">", ">=", "<", "<="};
const std::vector<std::string> kStringOps = {"=", "!=", "LIKE", "ILIKE"};
const std::vector<std::string> kStringListOps = {"=", "!=", "LIKE", "ILIKE", "IN", "NOT IN"};

// What an identifier names once resolved. `column` always points at a literal of this file, so no
// user text reaches the SQL; `key` is bound as a parameter.
enum class FieldType { kMetric, kParam, kTag, kStringAttribute, kTimeAttribute };
struct Field {
  FieldType type;
  std::string key;
  std::string_view column;
};

// The table a search runs over: runs `r` or experiments `e`.
struct Target {
  std::string_view alias;
  std::string_view id_column;
  std::string_view tag_table;
  const std::vector<std::string>* string_ops;  // for string attributes
};
const Target kRuns = {"r", "run_id", "tags", &kStringListOps};
const Target kExperiments = {"e", "experiment_id", "experiment_tags", &kStringOps};

// Validates an attribute key and maps MLflow's aliases ("created", "run name") to a column.
Result<Field> ResolveAttribute(const std::string& key, const std::vector<std::string>& valid) {
  if (!Contains(valid, key)) {
    return InvalidArgument("Invalid attribute key '" + key + "' specified. Valid keys are '" +
                           ListString(valid) + "'");
  }
  std::string_view name = key;
  if (key == "created" || key == "Created") name = "start_time";
  if (key == "run name" || key == "Run name" || key == "Run Name") name = "run_name";
  for (std::string_view column : {"start_time", "end_time", "creation_time", "last_update_time", "run_id",
                                  "run_name", "user_id", "status", "artifact_uri", "name", "experiment_id"}) {
    if (name != column) continue;
    return Field{column.ends_with("_time") ? FieldType::kTimeAttribute : FieldType::kStringAttribute, key,
                 column};
  }
  return Internal("attribute whitelist and columns disagree on '" + key + "'");
}

const std::vector<std::string> kRunSearchKeys = {"Created",  "Run Name",   "Run name", "artifact_uri",
                                                 "created",  "end_time",   "run name", "run_id",
                                                 "run_name", "start_time", "status",   "user_id"};
const std::vector<std::string> kRunOrderKeys = {"Created",  "artifact_uri", "created", "end_time", "run_id",
                                                "run_name", "start_time",   "status",  "user_id"};
const std::vector<std::string> kExpSearchKeys = {"creation_time", "last_update_time", "name"};
const std::vector<std::string> kExpOrderKeys = {"creation_time", "experiment_id", "last_update_time", "name"};

// Resolves a runs identifier; `attribute_keys` is the search or the order_by whitelist.
Result<Field> ResolveRunField(const Identifier& id, const std::vector<std::string>& attribute_keys) {
  const std::string& e = id.entity;
  if (!id.has_entity || e == "attribute" || e == "attributes" || e == "attr" || e == "run") {
    return ResolveAttribute(id.key, attribute_keys);
  }
  if (e == "metric" || e == "metrics") return Field{FieldType::kMetric, id.key, ""};
  if (e == "parameter" || e == "parameters" || e == "param" || e == "params") {
    return Field{FieldType::kParam, id.key, ""};
  }
  if (e == "tag" || e == "tags") return Field{FieldType::kTag, id.key, ""};
  return InvalidArgument("Invalid entity type '" + e +
                         "'. Valid values are ['metric', 'parameter', 'tag', 'attribute']");
}

// Experiments accept only `attribute.` and `tag(s).`, as SearchExperimentsUtils._get_identifier.
Result<Field> ResolveExperimentField(const Identifier& id, const std::vector<std::string>& attribute_keys) {
  if (!id.has_entity || id.entity == "attribute") return ResolveAttribute(id.key, attribute_keys);
  if (id.entity == "tag" || id.entity == "tags") return Field{FieldType::kTag, id.key, ""};
  return InvalidArgument("Invalid entity type '" + id.entity +
                         "'. Valid entity types are ('attribute', 'tag', 'tags')");
}

Status CheckOp(const std::string& op, const std::vector<std::string>& valid) {
  if (Contains(valid, op)) return Status::Ok();
  return InvalidArgument("Invalid comparator '" + op + "' not one of '" + ListString(valid) + "'");
}

// Checks the literal's type against the field; MLflow does this before checking the comparator.
Status CheckValue(const Field& f, const Value& v) {
  if (f.type == FieldType::kMetric || f.type == FieldType::kTimeAttribute) {
    if (v.kind == ValueKind::kNumber) return Status::Ok();
    return InvalidArgument("Expected numeric value type for " +
                           (f.type == FieldType::kMetric ? "metric" : "numeric attribute: " + f.key) +
                           ". Found " + v.raw);
  }
  if (v.kind == ValueKind::kString || (v.kind == ValueKind::kList && f.type == FieldType::kStringAttribute)) {
    return Status::Ok();
  }
  if (v.kind == ValueKind::kBareWord) {
    return InvalidArgument(
        "Parameter value is either not quoted or unidentified quote types used for string value " + v.raw +
        ". Use either single or double quotes.");
  }
  const char* type = f.type == FieldType::kParam ? "parameter (e.g. 'my-value')"
                     : f.type == FieldType::kTag ? "tag (e.g. 'my-value')"
                                                 : "attributes";
  return InvalidArgument(std::string("Expected a quoted string value for ") + type + ". Got value " + v.raw);
}

Status CompileClause(const Target& t, const Field& f, const Clause& c, Builder& b) {
  const Value& v = c.value;
  RETURN_IF_ERROR(CheckValue(f, v));
  const std::string op = c.op == "!=" ? "<>" : c.op;  // only whitelisted comparators reach the SQL
  if (f.type == FieldType::kMetric) {
    RETURN_IF_ERROR(CheckOp(c.op, kNumericOps));
    b.Sql("EXISTS (SELECT 1 FROM latest_metrics f WHERE f.run_id = r.run_id AND f.key = ").Param(f.key);
    // IEEE semantics, NaN satisfies only `!=` (DuckDB sorts NaN above all numbers, equal to itself).
    if (op == "<>") b.Sql(" AND (isnan(f.value) OR f.value <> ").Param(v.number).Sql("))");
    if (op != "<>") b.Sql(" AND NOT isnan(f.value) AND (f.value ", op, " ").Param(v.number).Sql("))");
  } else if (f.type == FieldType::kParam || f.type == FieldType::kTag) {
    RETURN_IF_ERROR(CheckOp(c.op, kStringOps));
    b.Sql("EXISTS (SELECT 1 FROM ", f.type == FieldType::kParam ? "params" : t.tag_table, " f WHERE f.",
          t.id_column, " = ", t.alias, ".", t.id_column, " AND f.key = ")
        .Param(f.key)
        .Sql(" AND f.value ", op, " ")
        .Param(v.text)
        .Sql(")");
  } else if (f.type == FieldType::kTimeAttribute) {
    RETURN_IF_ERROR(CheckOp(c.op, kNumericOps));
    // Integral literals stay exact as int64 (epoch milliseconds exceed a double's 2^53 only in theory).
    b.Sql("epoch_ms(", t.alias, ".", f.column, ") ", op, " ")
        .Param(v.integer ? SqlValue(*v.integer) : SqlValue(v.number));
  } else {
    RETURN_IF_ERROR(CheckOp(c.op, *t.string_ops));
    const bool list_op = c.op == "IN" || c.op == "NOT IN";
    if (list_op != (v.kind == ValueKind::kList)) {
      return InvalidArgument(list_op ? "Expected a list of quoted strings such as ('a', 'b') after " + c.op
                                     : "Comparator '" + c.op + "' cannot be used with a list value " + v.raw);
    }
    b.Sql(t.alias, ".", f.column, " ", op, list_op ? " (" : " ");
    for (size_t i = 0; i < v.list.size(); ++i) b.Sql(i ? ", " : "").Param(v.list[i]);
    list_op ? b.Sql(")") : b.Param(v.text);
  }
  return Status::Ok();
}

template <typename Resolve>
Result<SqlFragment> CompileFilter(std::string_view filter, const Target& target, Resolve resolve) {
  ASSIGN_OR_RETURN(std::vector<Clause> clauses, ParseClauses(filter));
  Builder b;
  if (clauses.empty()) b.Sql("TRUE");
  for (size_t i = 0; i < clauses.size(); ++i) {
    ASSIGN_OR_RETURN(Field field, resolve(clauses[i].ident));
    b.Sql(i ? " AND (" : "(");
    RETURN_IF_ERROR(CompileClause(target, field, clauses[i], b));
    b.Sql(")");
  }
  return std::move(b.out);
}

}  // namespace

Result<SqlFragment> CompileRunFilter(std::string_view filter) {
  return CompileFilter(filter, kRuns,
                       [](const Identifier& id) { return ResolveRunField(id, kRunSearchKeys); });
}

Result<SqlFragment> CompileExperimentFilter(std::string_view filter) {
  return CompileFilter(filter, kExperiments,
                       [](const Identifier& id) { return ResolveExperimentField(id, kExpSearchKeys); });
}

Result<SqlFragment> CompileRunOrderBy(const std::vector<std::string>& order_by) {
  Builder b;
  std::set<std::pair<FieldType, std::string>> seen;
  bool orders_by_start_time = false;
  for (const std::string& text : order_by) {
    ASSIGN_OR_RETURN(OrderTerm term, ParseOrderTerm(text));
    ASSIGN_OR_RETURN(Field f, ResolveRunField(term.ident, kRunOrderKeys));
    const bool attribute = !f.column.empty();
    if (!seen.emplace(attribute ? FieldType::kStringAttribute : f.type, attribute ? f.column : f.key)
             .second) {
      return InvalidArgument("`order_by` contains duplicate fields: " + ListString(order_by));
    }
    orders_by_start_time |= f.column == "start_time";
    const std::string direction = term.ascending ? " ASC" : " DESC";
    if (!b.out.sql.empty()) b.Sql(", ");
    const std::string value = std::string("(SELECT max(o.value) FROM ") +
                              (f.type == FieldType::kMetric  ? "latest_metrics"
                               : f.type == FieldType::kParam ? "params"
                                                             : "tags") +
                              " o WHERE o.run_id = r.run_id AND o.key = ";
    if (attribute) {
      b.Sql("r.", f.column, direction, " NULLS LAST");
    } else if (f.type == FieldType::kMetric) {
      // Rank 0 = a number, 1 = NaN, 2 = missing; then the value in the requested direction.
      b.Sql("COALESCE(CAST(isnan(", value).Param(f.key).Sql(")) AS INTEGER), 2) ASC, ", value);
      b.Param(f.key).Sql(")", direction);
    } else {
      b.Sql(value).Param(f.key).Sql(")", direction, " NULLS LAST");
    }
  }
  if (!b.out.sql.empty()) b.Sql(", ");
  if (!orders_by_start_time) b.Sql("r.start_time DESC NULLS LAST, ");
  b.Sql("r.run_id ASC");
  return std::move(b.out);
}

Result<SqlFragment> CompileExperimentOrderBy(const std::vector<std::string>& order_by) {
  static const std::vector<std::string> kDefault = {"creation_time DESC", "experiment_id ASC"};
  Builder b;
  bool has_id = false;
  for (const std::string& text : order_by.empty() ? kDefault : order_by) {
    ASSIGN_OR_RETURN(OrderTerm term, ParseOrderTerm(text));
    ASSIGN_OR_RETURN(Field f, ResolveExperimentField(term.ident, kExpOrderKeys));
    if (f.type == FieldType::kTag) return InvalidArgument("Invalid order_by entity: tag");
    has_id |= f.column == "experiment_id";
    if (!b.out.sql.empty()) b.Sql(", ");
    b.Sql("e.", f.column, term.ascending ? " ASC" : " DESC");
  }
  if (!has_id) b.Sql(", e.experiment_id DESC");
  return std::move(b.out);
}

}  // namespace mlcost::tracking
