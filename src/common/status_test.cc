#include "mlcost/status.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace mlcost {
namespace {

TEST(StatusTest, DefaultIsOk) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kOk);
  EXPECT_EQ(s.message(), "");
  EXPECT_EQ(s.ToString(), "OK");
  EXPECT_TRUE(Status::Ok().ok());
}

TEST(StatusTest, EveryCodeHasAStableName) {
  const std::vector<std::pair<StatusCode, std::string>> names = {
      {StatusCode::kOk, "OK"},
      {StatusCode::kInvalidArgument, "INVALID_ARGUMENT"},
      {StatusCode::kNotFound, "NOT_FOUND"},
      {StatusCode::kAlreadyExists, "ALREADY_EXISTS"},
      {StatusCode::kConflict, "CONFLICT"},
      {StatusCode::kTooLarge, "TOO_LARGE"},
      {StatusCode::kResourceExhausted, "RESOURCE_EXHAUSTED"},
      {StatusCode::kPermissionDenied, "PERMISSION_DENIED"},
      {StatusCode::kUnauthenticated, "UNAUTHENTICATED"},
      {StatusCode::kUnavailable, "UNAVAILABLE"},
      {StatusCode::kInternal, "INTERNAL"},
  };
  for (const auto& [code, name] : names) EXPECT_EQ(StatusCodeName(code), name);
  EXPECT_EQ(StatusCodeName(static_cast<StatusCode>(999)), "UNKNOWN");
}

TEST(StatusTest, HelpersSetCodeAndMessage) {
  struct Case {
    Status status;
    StatusCode code;
  };
  const std::vector<Case> cases = {
      {InvalidArgument("m"), StatusCode::kInvalidArgument},
      {NotFound("m"), StatusCode::kNotFound},
      {AlreadyExists("m"), StatusCode::kAlreadyExists},
      {Conflict("m"), StatusCode::kConflict},
      {TooLarge("m"), StatusCode::kTooLarge},
      {ResourceExhausted("m"), StatusCode::kResourceExhausted},
      {Internal("m"), StatusCode::kInternal},
      {Unavailable("m"), StatusCode::kUnavailable},
  };
  for (const Case& c : cases) {
    EXPECT_FALSE(c.status.ok());
    EXPECT_EQ(c.status.code(), c.code);
    EXPECT_EQ(c.status.message(), "m");
  }
}

TEST(StatusTest, ToStringAndContext) {
  Status s = NotFound("run 'abc' does not exist");
  EXPECT_EQ(s.ToString(), "NOT_FOUND: run 'abc' does not exist");
  Status wrapped = s.WithContext("get-run");
  EXPECT_EQ(wrapped.code(), StatusCode::kNotFound);
  EXPECT_EQ(wrapped.message(), "get-run: run 'abc' does not exist");
  EXPECT_EQ(s.message(), "run 'abc' does not exist");  // the original is unchanged
  EXPECT_TRUE(Status::Ok().WithContext("anything").ok());
  EXPECT_EQ(Status::Ok().WithContext("anything").message(), "");
}

TEST(StatusTest, CopiesAreIndependent) {
  Status a = Conflict("x");
  Status b = a;
  b = b.WithContext("y");
  EXPECT_EQ(a.message(), "x");
  EXPECT_EQ(b.message(), "y: x");
}

TEST(ResultTest, HoldsValue) {
  Result<std::string> r = std::string("hello");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.status().ok());
  EXPECT_EQ(*r, "hello");
  EXPECT_EQ(r->size(), 5u);
  r.value() += "!";
  EXPECT_EQ(r.value(), "hello!");
  std::string moved = std::move(r).value();
  EXPECT_EQ(moved, "hello!");
}

TEST(ResultTest, HoldsError) {
  Result<int> r = NotFound("nope");
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(r.status().message(), "nope");
}

TEST(ResultTest, OkStatusWithoutValueBecomesInternal) {
  Result<int> r = Status::Ok();
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInternal);
}

TEST(ResultTest, MoveOnlyValues) {
  Result<std::unique_ptr<int>> r = std::make_unique<int>(7);
  ASSERT_TRUE(r.ok());
  std::unique_ptr<int> p = std::move(r).value();
  EXPECT_EQ(*p, 7);
}

TEST(ResultDeathTest, ValueOfErrorAborts) {
  Result<int> r = InvalidArgument("bad input");
  EXPECT_DEATH((void)r.value(), "value\\(\\) of a failed Result: INVALID_ARGUMENT: bad input");
}

Status FailIfNegative(int v) { return v < 0 ? InvalidArgument("negative") : Status::Ok(); }

Status Chain(int v, int* reached) {
  RETURN_IF_ERROR(FailIfNegative(v));
  *reached = 1;
  return Status::Ok();
}

Result<int> Half(int v) {
  if (v % 2 != 0) return InvalidArgument("odd: " + std::to_string(v));
  return v / 2;
}

Result<int> Quarter(int v) {
  ASSIGN_OR_RETURN(int h, Half(v));
  ASSIGN_OR_RETURN(int q, Half(h));  // two uses in one function need distinct temporaries
  return q;
}

TEST(MacroTest, ReturnIfError) {
  int reached = 0;
  EXPECT_EQ(Chain(-1, &reached).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(reached, 0);
  EXPECT_TRUE(Chain(1, &reached).ok());
  EXPECT_EQ(reached, 1);
}

TEST(MacroTest, AssignOrReturn) {
  EXPECT_EQ(*Quarter(8), 2);
  Result<int> r = Quarter(6);  // 6 -> 3 -> odd
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "odd: 3");
  EXPECT_EQ(Quarter(5).status().message(), "odd: 5");
}

}  // namespace
}  // namespace mlcost
