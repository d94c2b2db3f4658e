// Status and Result<T>: mlcost's one error currency. No exception crosses a module boundary;
// third-party exceptions are caught at the adapter that calls the library and become a Status.
#ifndef MLCOST_STATUS_H_
#define MLCOST_STATUS_H_

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace mlcost {

// The error classes. Each maps to exactly one HTTP status and one CLI exit code in one place
// (src/api/http_error.cc, src/cli/exit_code.cc).
enum class StatusCode : int {
  kOk = 0,
  kInvalidArgument,     // malformed or out-of-range input (400)
  kNotFound,            // a named thing does not exist (404)
  kAlreadyExists,       // a unique name is taken (400 in MLflow's table)
  kConflict,            // state does not allow it: e.g. a second server on a data dir (409)
  kTooLarge,            // request body over the limit (413)
  kResourceExhausted,   // a quota or rate limit (429)
  kPermissionDenied,    // (403)
  kUnauthenticated,     // (401)
  kUnavailable,         // temporarily cannot serve (503)
  kInternal,            // a bug or an I/O failure (500)
};

// Returns the stable upper-case name of `code` ("INVALID_ARGUMENT", ...).
std::string_view StatusCodeName(StatusCode code);

// A Status is OK or carries a code and a message that names what is wrong and where.
// Copyable, cheap when OK. Thread-compatible.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // "NOT_FOUND: run 'abc' does not exist", or "OK".
  std::string ToString() const;

  // Returns a copy whose message is "<context>: <message>"; OK stays OK.
  Status WithContext(std::string_view context) const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

Status InvalidArgument(std::string message);
Status NotFound(std::string message);
Status AlreadyExists(std::string message);
Status Conflict(std::string message);
Status TooLarge(std::string message);
Status ResourceExhausted(std::string message);
Status Internal(std::string message);
Status Unavailable(std::string message);

// Result<T> holds a T or a non-OK Status. Accessing value() of an error aborts: callers check
// ok() first or use ASSIGN_OR_RETURN.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Status status) : status_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    if (status_.ok()) status_ = Internal("Result constructed from an OK Status without a value");
  }

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }

  T& value() & { CheckOk(); return *value_; }
  const T& value() const& { CheckOk(); return *value_; }
  T&& value() && { CheckOk(); return std::move(*value_); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  void CheckOk() const;
  Status status_;
  std::optional<T> value_;
};

[[noreturn]] void DieOnBadResultAccess(const Status& status);

template <typename T>
void Result<T>::CheckOk() const {
  if (!value_.has_value()) DieOnBadResultAccess(status_);
}

}  // namespace mlcost

#define MLCOST_CONCAT_INNER_(a, b) a##b
#define MLCOST_CONCAT_(a, b) MLCOST_CONCAT_INNER_(a, b)

// Returns the Status of `expr` from the enclosing function when it is not OK.
#define RETURN_IF_ERROR(expr)                         \
  do {                                                \
    ::mlcost::Status mlcost_status_ = (expr);         \
    if (!mlcost_status_.ok()) return mlcost_status_; \
  } while (0)

// Evaluates `rexpr` (a Result<T>); on error returns its Status, else assigns the value to `lhs`.
#define ASSIGN_OR_RETURN(lhs, rexpr) \
  ASSIGN_OR_RETURN_IMPL_(MLCOST_CONCAT_(mlcost_result_, __LINE__), lhs, rexpr)
#define ASSIGN_OR_RETURN_IMPL_(tmp, lhs, rexpr) \
  auto tmp = (rexpr);                           \
  if (!tmp.ok()) return tmp.status();           \
  lhs = std::move(tmp).value()

#endif  // MLCOST_STATUS_H_
