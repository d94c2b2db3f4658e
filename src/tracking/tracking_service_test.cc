// TrackingService against a real DuckDB: experiments, runs, params and tags, run search, and the
// organisation records. Metric points, group commit, reopening and durability are in
// write_batcher_test.cc.
#include "tracking/tracking_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "tracking/tracking_test_util.h"

// Requests are written as designated initializers naming only the fields a test cares about.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace mlcost::tracking {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
constexpr StatusCode kInvalid = StatusCode::kInvalidArgument;
constexpr StatusCode kNotFound = StatusCode::kNotFound;
constexpr StatusCode kExists = StatusCode::kAlreadyExists;

std::vector<std::string> Names(const std::vector<Experiment>& experiments) {
  std::vector<std::string> out;
  for (const Experiment& e : experiments) out.push_back(e.name);
  return out;
}

std::vector<std::string> RunNames(const std::vector<mlcost::Run>& runs) {
  std::vector<std::string> out;
  for (const mlcost::Run& r : runs) out.push_back(r.info.run_name);
  return out;
}

TEST_F(TrackingTest, OpenCreatesTheDefaultExperiment) {
  auto e = svc().GetExperiment("0");
  MLCOST_ASSERT_OK(e);
  EXPECT_EQ(e->experiment_id, "0");
  EXPECT_EQ(e->name, "Default");
  EXPECT_EQ(e->lifecycle_stage, "active");
  EXPECT_EQ(e->artifact_location, "mlflow-artifacts:/0");
  EXPECT_EQ(e->creation_time_ms, kStartMillis);
}

TEST_F(TrackingTest, CreateAndGetExperiments) {
  auto id = svc().CreateExperiment("exp-a", "", {{"team", "vision"}, {"owner", "ann"}});
  MLCOST_ASSERT_OK(id);
  auto e = svc().GetExperiment(*id);
  MLCOST_ASSERT_OK(e);
  EXPECT_EQ(e->name, "exp-a");
  EXPECT_EQ(e->artifact_location, "mlflow-artifacts:/" + *id);
  EXPECT_THAT(e->tags, ElementsAre(KeyValue{"owner", "ann"}, KeyValue{"team", "vision"}));
  auto by_name = svc().GetExperimentByName("exp-a");
  MLCOST_ASSERT_OK(by_name);
  EXPECT_EQ(by_name->experiment_id, *id);

  auto custom = svc().CreateExperiment("exp-b", "s3://bucket/path", {});
  MLCOST_ASSERT_OK(custom);
  EXPECT_EQ(svc().GetExperiment(*custom)->artifact_location, "s3://bucket/path");

  MLCOST_EXPECT_CODE(svc().CreateExperiment("exp-a", "", {}), kExists);
  MLCOST_EXPECT_CODE(svc().CreateExperiment("", "", {}), kInvalid);
  MLCOST_EXPECT_CODE(svc().CreateExperiment("exp-c", "", {{"", "v"}}), kInvalid);
  MLCOST_EXPECT_CODE(svc().GetExperiment("999"), kNotFound);
  MLCOST_EXPECT_CODE(svc().GetExperiment("abc"), kInvalid);
  MLCOST_EXPECT_CODE(svc().GetExperimentByName("nope"), kNotFound);
  // A failed create wrote nothing: no tags of the duplicate, no third experiment.
  EXPECT_EQ(Scalar("SELECT count(*) FROM experiments"), 3);
}

TEST_F(TrackingTest, DeletedExperimentNamesStayTaken) {
  std::string id = NewExperiment("gone");
  MLCOST_ASSERT_OK(svc().DeleteExperiment(id));
  MLCOST_EXPECT_CODE(svc().CreateExperiment("gone", "", {}), kExists);
  auto e = svc().GetExperimentByName("gone");  // a deleted experiment is still found by name
  MLCOST_ASSERT_OK(e);
  EXPECT_EQ(e->lifecycle_stage, "deleted");
}

TEST_F(TrackingTest, GetByNamePrefersTheActiveExperiment) {
  std::string deleted = NewExperiment("twin");
  MLCOST_ASSERT_OK(svc().DeleteExperiment(deleted));
  // The API keeps names unique; an older store (or MLflow's file store) can hold both.
  Exec("INSERT INTO experiments VALUES (50, 'twin', 'x', 'active', now(), now())");
  auto e = svc().GetExperimentByName("twin");
  MLCOST_ASSERT_OK(e);
  EXPECT_EQ(e->experiment_id, "50");
  EXPECT_EQ(e->lifecycle_stage, "active");
}

TEST_F(TrackingTest, RenameExperiment) {
  std::string a = NewExperiment("a");
  std::string b = NewExperiment("b");
  clock_.Advance(5 * kMicrosPerSecond);
  MLCOST_ASSERT_OK(svc().RenameExperiment(a, "a2"));
  auto e = svc().GetExperiment(a);
  MLCOST_ASSERT_OK(e);
  EXPECT_EQ(e->name, "a2");
  EXPECT_EQ(e->last_update_time_ms, kStartMillis + 5000);
  EXPECT_EQ(e->creation_time_ms, kStartMillis);
  MLCOST_ASSERT_OK(svc().RenameExperiment(a, "a2"));  // its own name is not "taken"
  MLCOST_EXPECT_CODE(svc().RenameExperiment(a, "b"), kExists);
  MLCOST_EXPECT_CODE(svc().RenameExperiment(a, ""), kInvalid);
  MLCOST_EXPECT_CODE(svc().RenameExperiment("404", "x"), kNotFound);
  MLCOST_ASSERT_OK(svc().DeleteExperiment(b));
  MLCOST_EXPECT_CODE(svc().RenameExperiment(b, "b2"), kInvalid);
  EXPECT_EQ(svc().GetExperiment(b)->name, "b");
}

TEST_F(TrackingTest, DeleteAndRestoreExperimentMoveItsRuns) {
  std::string id = NewExperiment("e");
  mlcost::Run r1 = NewRun(id);
  mlcost::Run r2 = NewRun(id);
  mlcost::Run other = NewRun("0");
  MLCOST_ASSERT_OK(svc().DeleteExperiment(id));
  EXPECT_EQ(svc().GetExperiment(id)->lifecycle_stage, "deleted");
  EXPECT_EQ(svc().GetRun(r1.info.run_id)->info.lifecycle_stage, "deleted");
  EXPECT_EQ(svc().GetRun(r2.info.run_id)->info.lifecycle_stage, "deleted");
  EXPECT_EQ(svc().GetRun(other.info.run_id)->info.lifecycle_stage, "active");
  // The writer's cached run state follows the bulk change.
  MLCOST_EXPECT_CODE(Log(r1.info.run_id, {{"m", 1, 1, 0}}), kInvalid);
  MLCOST_EXPECT_CODE(svc().CreateRun(CreateRunRequest{.experiment_id = id}), kInvalid);

  MLCOST_ASSERT_OK(svc().RestoreExperiment(id));
  EXPECT_EQ(svc().GetExperiment(id)->lifecycle_stage, "active");
  EXPECT_EQ(svc().GetRun(r1.info.run_id)->info.lifecycle_stage, "active");
  MLCOST_ASSERT_OK(Log(r1.info.run_id, {{"m", 1, 1, 0}}));

  // Only an active experiment is deleted and only a deleted one restored, so restoring an active
  // experiment does not revive a run deleted on its own.
  MLCOST_ASSERT_OK(svc().DeleteRun(r2.info.run_id));
  MLCOST_EXPECT_CODE(svc().RestoreExperiment(id), kNotFound);
  EXPECT_EQ(svc().GetRun(r2.info.run_id)->info.lifecycle_stage, "deleted");
  MLCOST_ASSERT_OK(svc().DeleteExperiment(id));
  MLCOST_EXPECT_CODE(svc().DeleteExperiment(id), kNotFound);

  MLCOST_EXPECT_CODE(svc().DeleteExperiment("0"), kInvalid);
  EXPECT_EQ(svc().GetExperiment("0")->lifecycle_stage, "active");
  MLCOST_EXPECT_CODE(svc().DeleteExperiment("404"), kNotFound);
  MLCOST_EXPECT_CODE(svc().RestoreExperiment("404"), kNotFound);
}

TEST_F(TrackingTest, ExperimentTags) {
  std::string id = NewExperiment("e");
  MLCOST_ASSERT_OK(svc().SetExperimentTag(id, "k", "v1"));
  MLCOST_ASSERT_OK(svc().SetExperimentTag(id, "k", "v2"));
  MLCOST_ASSERT_OK(svc().SetExperimentTag(id, "a", ""));
  EXPECT_THAT(svc().GetExperiment(id)->tags, ElementsAre(KeyValue{"a", ""}, KeyValue{"k", "v2"}));
  MLCOST_EXPECT_CODE(svc().SetExperimentTag(id, "", "v"), kInvalid);
  MLCOST_EXPECT_CODE(svc().SetExperimentTag(id, "k", std::string(5001, 'x')), kInvalid);
  MLCOST_EXPECT_CODE(svc().SetExperimentTag("404", "k", "v"), kNotFound);
  MLCOST_ASSERT_OK(svc().DeleteExperiment(id));
  MLCOST_EXPECT_CODE(svc().SetExperimentTag(id, "k", "v3"), kInvalid);
}

TEST_F(TrackingTest, SearchExperiments) {
  for (const char* name : {"alpha", "beta", "gamma", "delta"}) {
    clock_.Advance(kMicrosPerSecond);
    ASSERT_TRUE(svc().CreateExperiment(name, "", {{"team", name[0] == 'a' || name[0] == 'g' ? "ml" : "ops"}}).ok());
  }
  auto search = [&](SearchExperimentsRequest r) {
    auto found = svc().SearchExperiments(r);
    EXPECT_TRUE(found.ok()) << found.status().ToString();
    return found.ok() ? Names(found->experiments) : std::vector<std::string>{"<error>"};
  };
  // Default order: newest first.
  EXPECT_THAT(search({}), ElementsAre("delta", "gamma", "beta", "alpha", "Default"));
  EXPECT_THAT(search({.order_by = {"name ASC"}}), ElementsAre("Default", "alpha", "beta", "delta", "gamma"));
  EXPECT_THAT(search({.filter = "name LIKE '%a'", .order_by = {"name DESC"}}),
              ElementsAre("gamma", "delta", "beta", "alpha"));
  EXPECT_THAT(search({.filter = "tags.team = 'ml'", .order_by = {"name"}}), ElementsAre("alpha", "gamma"));
  EXPECT_THAT(search({.filter = "creation_time > " + std::to_string(kStartMillis + 2000)}),
              ElementsAre("delta", "gamma"));

  MLCOST_ASSERT_OK(svc().DeleteExperiment(svc().GetExperimentByName("beta")->experiment_id));
  EXPECT_THAT(search({.order_by = {"name"}}), ElementsAre("Default", "alpha", "delta", "gamma"));
  EXPECT_THAT(search({.view = ViewType::kDeletedOnly}), ElementsAre("beta"));
  EXPECT_THAT(search({.order_by = {"name"}, .view = ViewType::kAll}),
              ElementsAre("Default", "alpha", "beta", "delta", "gamma"));

  // Paging: tokens round-trip, the last page has no token.
  std::vector<std::string> all;
  SearchExperimentsRequest page{.order_by = {"name"}, .view = ViewType::kAll, .max_results = 2};
  int pages = 0;
  for (;;) {
    auto found = svc().SearchExperiments(page);
    MLCOST_ASSERT_OK(found);
    ++pages;
    for (const Experiment& e : found->experiments) all.push_back(e.name);
    if (found->next_page_token.empty()) break;
    page.page_token = found->next_page_token;
    ASSERT_LT(pages, 10);
  }
  EXPECT_EQ(pages, 3);
  EXPECT_THAT(all, ElementsAre("Default", "alpha", "beta", "delta", "gamma"));
  auto exact = svc().SearchExperiments({.view = ViewType::kAll, .max_results = 5});
  MLCOST_ASSERT_OK(exact);
  EXPECT_EQ(exact->experiments.size(), 5u);
  EXPECT_EQ(exact->next_page_token, "");  // a full last page has no token either

  MLCOST_EXPECT_CODE(svc().SearchExperiments({.max_results = 0}), kInvalid);
  MLCOST_EXPECT_CODE(svc().SearchExperiments({.max_results = 50001}), kInvalid);
  MLCOST_EXPECT_CODE(svc().SearchExperiments({.page_token = "not a token"}), kInvalid);
  MLCOST_EXPECT_CODE(svc().SearchExperiments({.filter = "name ="}), kInvalid);
  MLCOST_EXPECT_CODE(svc().SearchExperiments({.order_by = {"tags.team"}}), kInvalid);
}

TEST_F(TrackingTest, CreateRunDefaults) {
  clock_.Advance(123);  // sub-millisecond part is dropped, as MLflow's ms times do
  mlcost::Run run = NewRun();
  EXPECT_TRUE(std::regex_match(run.info.run_id, std::regex("[0-9a-f]{32}"))) << run.info.run_id;
  EXPECT_TRUE(std::regex_match(run.info.run_name, std::regex("[a-z]+-[a-z]+-[0-9]{1,3}"))) << run.info.run_name;
  EXPECT_EQ(TagValue(run.tags, "mlflow.runName"), run.info.run_name);
  EXPECT_EQ(run.info.experiment_id, "0");
  EXPECT_EQ(run.info.status, "RUNNING");
  EXPECT_EQ(run.info.lifecycle_stage, "active");
  EXPECT_EQ(run.info.start_time_ms, kStartMillis);
  EXPECT_FALSE(run.info.end_time_ms.has_value());
  EXPECT_EQ(run.info.artifact_uri, "mlflow-artifacts:/0/" + run.info.run_id + "/artifacts");
  EXPECT_EQ(run.info.user_id, "");
  auto attempts = svc().GetAttempts(run.info.run_id);
  MLCOST_ASSERT_OK(attempts);
  ASSERT_EQ(attempts->size(), 1u);
  EXPECT_EQ((*attempts)[0].attempt, 1);
  EXPECT_EQ((*attempts)[0].start_time_ms, kStartMillis);
  EXPECT_FALSE((*attempts)[0].end_time_ms.has_value());
  EXPECT_EQ((*attempts)[0].end_cause, "");
  EXPECT_NE(NewRun().info.run_id, run.info.run_id);
  auto fetched = svc().GetRun(run.info.run_id);
  MLCOST_ASSERT_OK(fetched);
  EXPECT_EQ(fetched->info.run_name, run.info.run_name);
}

TEST_F(TrackingTest, CreateRunNamesUsersAndTimes) {
  std::string exp = *svc().CreateExperiment("custom", "s3://b/e/", {});
  mlcost::Run named = NewRun(exp, "given");
  EXPECT_EQ(named.info.run_name, "given");
  EXPECT_EQ(TagValue(named.tags, "mlflow.runName"), "given");
  EXPECT_EQ(named.info.artifact_uri, "s3://b/e/" + named.info.run_id + "/artifacts");
  EXPECT_EQ(NewRun(exp, "", {{"mlflow.runName", "tagged"}}).info.run_name, "tagged");
  EXPECT_EQ(NewRun(exp, "same", {{"mlflow.runName", "same"}}).info.run_name, "same");
  MLCOST_EXPECT_CODE(
      svc().CreateRun({.experiment_id = exp, .run_name = "x", .tags = {{"mlflow.runName", "y"}}}), kInvalid);

  mlcost::Run by_tag = NewRun(exp, "", {{"mlflow.user", "ann"}});
  EXPECT_EQ(by_tag.info.user_id, "ann");
  auto explicit_user = svc().CreateRun({.experiment_id = exp, .user_id = "bob", .tags = {{"mlflow.user", "ann"}}});
  MLCOST_ASSERT_OK(explicit_user);
  EXPECT_EQ(explicit_user->info.user_id, "bob");

  auto timed = svc().CreateRun({.experiment_id = exp, .start_time_ms = 1234});
  MLCOST_ASSERT_OK(timed);
  EXPECT_EQ(timed->info.start_time_ms, 1234);
  EXPECT_EQ((*svc().GetAttempts(timed->info.run_id))[0].start_time_ms, 1234);
  MLCOST_EXPECT_CODE(svc().CreateRun({.experiment_id = exp, .start_time_ms = -1}), kInvalid);
  MLCOST_EXPECT_CODE(svc().CreateRun({.experiment_id = "12345"}), kNotFound);
  MLCOST_EXPECT_CODE(svc().CreateRun({.experiment_id = "x y"}), kInvalid);
  MLCOST_EXPECT_CODE(svc().CreateRun({.tags = {{"bad//key", "v"}}}), kInvalid);
  MLCOST_ASSERT_OK(svc().DeleteExperiment(exp));
  MLCOST_EXPECT_CODE(svc().CreateRun({.experiment_id = exp}), kInvalid);
  EXPECT_EQ(Scalar("SELECT count(*) FROM runs"), 6);  // failed creates wrote nothing
  EXPECT_EQ(Scalar("SELECT count(*) FROM run_attempts"), 6);
}

TEST_F(TrackingTest, UpdateRunStatusEndTimeAndName) {
  mlcost::Run run = NewRun();
  const std::string id = run.info.run_id;
  clock_.Advance(5 * kMicrosPerSecond + 7);
  auto info = svc().UpdateRun({.run_id = id, .status = "FINISHED"});
  MLCOST_ASSERT_OK(info);
  EXPECT_EQ(info->status, "FINISHED");
  EXPECT_EQ(info->end_time_ms, kStartMillis + 5000);
  auto attempts = svc().GetAttempts(id);
  MLCOST_ASSERT_OK(attempts);
  ASSERT_EQ(attempts->size(), 1u);
  EXPECT_EQ((*attempts)[0].end_time_ms, kStartMillis + 5000);
  EXPECT_EQ((*attempts)[0].end_cause, "finished");

  mlcost::Run killed = NewRun();
  info = svc().UpdateRun({.run_id = killed.info.run_id, .status = "KILLED", .end_time_ms = kStartMillis + 42});
  MLCOST_ASSERT_OK(info);
  EXPECT_EQ(info->end_time_ms, kStartMillis + 42);
  EXPECT_EQ((*svc().GetAttempts(killed.info.run_id))[0].end_cause, "killed");
  EXPECT_EQ((*svc().GetAttempts(killed.info.run_id))[0].end_time_ms, kStartMillis + 42);

  info = svc().UpdateRun({.run_id = id, .run_name = "renamed"});
  MLCOST_ASSERT_OK(info);
  EXPECT_EQ(info->run_name, "renamed");
  EXPECT_EQ(info->status, "FINISHED");  // untouched fields stay
  EXPECT_EQ(TagValue(svc().GetRun(id)->tags, "mlflow.runName"), "renamed");
  // And the other way: setting the tag renames the run.
  MLCOST_ASSERT_OK(Log(id, {}, {}, {{"mlflow.runName", "by-tag"}}));
  EXPECT_EQ(svc().GetRun(id)->info.run_name, "by-tag");

  MLCOST_EXPECT_CODE(svc().UpdateRun({.run_id = id, .status = "DONE"}), kInvalid);
  MLCOST_EXPECT_CODE(svc().UpdateRun({.run_id = id, .end_time_ms = -5}), kInvalid);
  MLCOST_EXPECT_CODE(svc().UpdateRun({.run_id = "0123456789abcdef0123456789abcdef", .status = "FAILED"}), kNotFound);
  MLCOST_EXPECT_CODE(svc().UpdateRun({.run_id = "", .status = "FAILED"}), kInvalid);
}

TEST_F(TrackingTest, DeleteAndRestoreRun) {
  mlcost::Run run = NewRun();
  const std::string id = run.info.run_id;
  MLCOST_ASSERT_OK(Log(id, {}, {}, {{"t", "1"}}));
  clock_.Advance(kMicrosPerSecond);
  MLCOST_ASSERT_OK(svc().DeleteRun(id));
  EXPECT_EQ(svc().GetRun(id)->info.lifecycle_stage, "deleted");  // still readable
  MLCOST_EXPECT_CODE(Log(id, {{"m", 1, 1, 0}}), kInvalid);
  MLCOST_EXPECT_CODE(svc().DeleteTag(id, "t"), kInvalid);
  MLCOST_EXPECT_CODE(svc().UpdateRun({.run_id = id, .status = "FAILED"}), kInvalid);
  EXPECT_EQ(Scalar("SELECT count(*) FROM metrics"), 0);
  MLCOST_ASSERT_OK(svc().RestoreRun(id));
  EXPECT_EQ(svc().GetRun(id)->info.lifecycle_stage, "active");
  MLCOST_ASSERT_OK(Log(id, {{"m", 1, 1, 0}}));
  MLCOST_EXPECT_CODE(svc().DeleteRun("0123456789abcdef0123456789abcdef"), kNotFound);
  MLCOST_EXPECT_CODE(svc().RestoreRun("0123456789abcdef0123456789abcdef"), kNotFound);
  MLCOST_EXPECT_CODE(svc().GetRun("0123456789abcdef0123456789abcdef"), kNotFound);
  MLCOST_EXPECT_CODE(svc().GetRun("../etc"), kInvalid);
}

TEST_F(TrackingTest, ParamsAreWriteOnceAndAFailedBatchWritesNothing) {
  const std::string id = NewRun().info.run_id;
  MLCOST_ASSERT_OK(Log(id, {}, {{"lr", "0.1"}, {"layers", "3"}}));
  MLCOST_ASSERT_OK(Log(id, {}, {{"lr", "0.1"}}));  // the same value again is fine
  auto bad = Log(id, {{"loss", 0.5, 10, 1}}, {{"new", "x"}, {"lr", "0.2"}}, {{"seen", "yes"}});
  MLCOST_EXPECT_CODE(bad, kInvalid);
  EXPECT_THAT(bad.message(), ::testing::HasSubstr("Changing param values is not allowed"));
  auto run = svc().GetRun(id);
  MLCOST_ASSERT_OK(run);
  EXPECT_THAT(run->params, ElementsAre(KeyValue{"layers", "3"}, KeyValue{"lr", "0.1"}));
  EXPECT_THAT(run->metrics, IsEmpty());
  EXPECT_EQ(TagValue(run->tags, "seen"), "<absent>");
  EXPECT_EQ(Scalar("SELECT count(*) FROM metrics"), 0);
  EXPECT_EQ(Scalar("SELECT count(*) FROM latest_metrics"), 0);
  auto history = svc().GetMetricHistory({.run_id = id, .metric_key = "loss"});
  MLCOST_ASSERT_OK(history);
  EXPECT_THAT(history->metrics, IsEmpty());

  MLCOST_EXPECT_CODE(Log(id, {}, {{"d", "1"}, {"d", "1"}}), kInvalid);  // duplicate keys in one batch
  MLCOST_EXPECT_CODE(Log(id, {}, {{"v", std::string(6001, 'x')}}), kInvalid);
  MLCOST_EXPECT_CODE(Log(id, {{"neg", 1, -1, 0}}), kInvalid);
  MLCOST_EXPECT_CODE(Log("0123456789abcdef0123456789abcdef", {}, {{"a", "b"}}), kNotFound);
  EXPECT_EQ(Scalar("SELECT count(*) FROM params"), 2);
}

TEST_F(TrackingTest, TagsLastWriteWinsAndDeleteTag) {
  const std::string id = NewRun("0", "r").info.run_id;
  MLCOST_ASSERT_OK(Log(id, {}, {}, {{"t", "1"}, {"u", "x"}}));
  MLCOST_ASSERT_OK(Log(id, {}, {}, {{"t", "2"}}));
  auto run = svc().GetRun(id);
  MLCOST_ASSERT_OK(run);
  EXPECT_THAT(run->tags, ElementsAre(KeyValue{"mlflow.runName", "r"}, KeyValue{"t", "2"}, KeyValue{"u", "x"}));
  MLCOST_ASSERT_OK(svc().DeleteTag(id, "t"));
  EXPECT_EQ(TagValue(svc().GetRun(id)->tags, "t"), "<absent>");
  MLCOST_EXPECT_CODE(svc().DeleteTag(id, "t"), kNotFound);
  MLCOST_EXPECT_CODE(svc().DeleteTag("0123456789abcdef0123456789abcdef", "u"), kNotFound);
  EXPECT_EQ(TagValue(svc().GetRun(id)->tags, "u"), "x");
}

class SearchRunsTest : public TrackingTest {
 protected:
  void SetUp() override {
    TrackingTest::SetUp();
    a_ = NewExperiment("a");
    b_ = NewExperiment("b");
    struct Spec { const char* name; const char* exp; std::optional<double> loss; const char* lr; const char* team; };
    const Spec specs[] = {{"r1", "a", 0.9, "0.1", "x"}, {"r2", "a", 0.2, "0.01", "y"},
                          {"r3", "a", std::nullopt, "0.1", "x"}, {"r4", "b", 0.5, "0.1", "x"}};
    for (const Spec& s : specs) {
      clock_.Advance(kMicrosPerSecond);
      mlcost::Run run = NewRun(std::string(s.exp) == "a" ? a_ : b_, s.name);
      std::vector<Metric> metrics;
      if (s.loss) metrics.push_back({"loss", *s.loss, 1, 0});
      ASSERT_TRUE(Log(run.info.run_id, metrics, {{"lr", s.lr}}, {{"team", s.team}}).ok());
      ids_[s.name] = run.info.run_id;
    }
    ASSERT_TRUE(svc().UpdateRun({.run_id = ids_["r2"], .status = "FINISHED"}).ok());
  }
  std::vector<std::string> Search(SearchRunsRequest request) {
    auto found = svc().SearchRuns(request);
    EXPECT_TRUE(found.ok()) << found.status().ToString();
    return found.ok() ? RunNames(found->runs) : std::vector<std::string>{"<error>"};
  }
  std::string a_, b_;
  std::map<std::string, std::string> ids_;
};

TEST_F(SearchRunsTest, FiltersOrderAndScope) {
  // Default order: newest start_time first.
  EXPECT_THAT(Search({.experiment_ids = {a_}}), ElementsAre("r3", "r2", "r1"));
  EXPECT_THAT(Search({.experiment_ids = {a_, b_}}), ElementsAre("r4", "r3", "r2", "r1"));
  EXPECT_THAT(Search({.experiment_ids = {}}), IsEmpty());
  EXPECT_THAT(Search({.experiment_ids = {a_}, .filter = "metrics.loss < 0.5"}), ElementsAre("r2"));
  EXPECT_THAT(Search({.experiment_ids = {a_, b_}, .filter = "params.lr = '0.1' and tags.team = 'x'"}),
              ElementsAre("r4", "r3", "r1"));
  EXPECT_THAT(Search({.experiment_ids = {a_}, .filter = "attributes.status = 'FINISHED'"}), ElementsAre("r2"));
  EXPECT_THAT(Search({.experiment_ids = {a_}, .filter = "run_name LIKE 'r%' AND attributes.status != 'FINISHED'"}),
              ElementsAre("r3", "r1"));
  EXPECT_THAT(Search({.experiment_ids = {a_, b_}, .order_by = {"metrics.loss DESC"}}),
              ElementsAre("r1", "r4", "r2", "r3"));  // the run without the metric comes last
  EXPECT_THAT(Search({.experiment_ids = {a_, b_}, .order_by = {"metrics.loss ASC"}}),
              ElementsAre("r2", "r4", "r1", "r3"));

  auto found = svc().SearchRuns({.experiment_ids = {a_}, .filter = "run_name = 'r2'"});
  MLCOST_ASSERT_OK(found);
  ASSERT_EQ(found->runs.size(), 1u);
  EXPECT_THAT(found->runs[0].params, ElementsAre(KeyValue{"lr", "0.01"}));
  EXPECT_EQ(found->runs[0].metrics.size(), 1u);
  EXPECT_EQ(found->runs[0].info.status, "FINISHED");

  MLCOST_EXPECT_CODE(svc().SearchRuns({.experiment_ids = {a_}, .filter = "metrics.loss <"}), kInvalid);
  MLCOST_EXPECT_CODE(svc().SearchRuns({.experiment_ids = {a_}, .order_by = {"bogus.x"}}), kInvalid);
  MLCOST_EXPECT_CODE(svc().SearchRuns({.experiment_ids = {a_}, .max_results = 0}), kInvalid);
  MLCOST_EXPECT_CODE(svc().SearchRuns({.experiment_ids = {"x y"}}), kInvalid);
}

TEST_F(SearchRunsTest, PagingAndViewTypes) {
  std::vector<std::string> all;
  SearchRunsRequest request{.experiment_ids = {a_, b_}, .order_by = {"metrics.loss DESC"}, .max_results = 1};
  int pages = 0;
  for (;;) {
    auto found = svc().SearchRuns(request);
    MLCOST_ASSERT_OK(found);
    ++pages;
    for (const mlcost::Run& r : found->runs) all.push_back(r.info.run_name);
    if (found->next_page_token.empty()) break;
    request.page_token = found->next_page_token;
    ASSERT_LT(pages, 10);
  }
  EXPECT_EQ(pages, 4);
  EXPECT_THAT(all, ElementsAre("r1", "r4", "r2", "r3"));
  MLCOST_EXPECT_CODE(svc().SearchRuns({.experiment_ids = {a_}, .page_token = "%%%"}), kInvalid);

  MLCOST_ASSERT_OK(svc().DeleteRun(ids_["r1"]));
  EXPECT_THAT(Search({.experiment_ids = {a_}}), ElementsAre("r3", "r2"));
  EXPECT_THAT(Search({.experiment_ids = {a_}, .view = ViewType::kDeletedOnly}), ElementsAre("r1"));
  EXPECT_THAT(Search({.experiment_ids = {a_}, .view = ViewType::kAll}), ElementsAre("r3", "r2", "r1"));
  MLCOST_ASSERT_OK(svc().DeleteExperiment(b_));
  EXPECT_THAT(Search({.experiment_ids = {a_, b_}}), ElementsAre("r3", "r2"));
  EXPECT_THAT(Search({.experiment_ids = {b_}, .view = ViewType::kDeletedOnly}), ElementsAre("r4"));
}

TEST_F(TrackingTest, TeamsUsersAndProjects) {
  MLCOST_ASSERT_OK(svc().UpsertTeam({.name = "vision", .description = "cv"}));
  MLCOST_ASSERT_OK(svc().UpsertTeam({.name = "nlp"}));
  MLCOST_ASSERT_OK(svc().UpsertTeam({.name = "vision", .description = "computer vision"}));
  auto teams = svc().ListTeams();
  MLCOST_ASSERT_OK(teams);
  ASSERT_EQ(teams->size(), 2u);
  EXPECT_EQ((*teams)[0].name, "nlp");
  EXPECT_EQ((*teams)[1].description, "computer vision");
  EXPECT_EQ((*teams)[1].creation_time_ms, kStartMillis);

  MLCOST_ASSERT_OK(svc().UpsertUser({.name = "bob", .team = "nlp", .email = "b@x"}));
  MLCOST_ASSERT_OK(svc().UpsertUser({.name = "ann"}));
  MLCOST_EXPECT_CODE(svc().UpsertUser({.name = "eve", .team = "ghosts"}), kNotFound);
  MLCOST_ASSERT_OK(svc().UpsertUser({.name = "bob", .team = "vision", .email = "bob@x"}));
  auto users = svc().ListUsers();
  MLCOST_ASSERT_OK(users);
  ASSERT_EQ(users->size(), 2u);
  EXPECT_EQ((*users)[0].name, "ann");
  EXPECT_FALSE((*users)[0].team.has_value());
  EXPECT_EQ((*users)[1].team, "vision");
  EXPECT_EQ((*users)[1].email, "bob@x");

  MLCOST_ASSERT_OK(svc().UpsertProject({.name = "p1", .team = "nlp", .description = "d"}));
  MLCOST_EXPECT_CODE(svc().UpsertProject({.name = "p2", .team = "ghosts"}), kNotFound);
  auto projects = svc().ListProjects();
  MLCOST_ASSERT_OK(projects);
  ASSERT_EQ(projects->size(), 1u);
  EXPECT_EQ((*projects)[0].team, "nlp");

  MLCOST_EXPECT_CODE(svc().UpsertTeam({.name = ""}), kInvalid);
  MLCOST_EXPECT_CODE(svc().UpsertUser({.name = "a\nb"}), kInvalid);
  MLCOST_ASSERT_OK(svc().DeleteUser("ann"));
  MLCOST_EXPECT_CODE(svc().DeleteUser("ann"), kNotFound);
  MLCOST_ASSERT_OK(svc().DeleteProject("p1"));
  MLCOST_EXPECT_CODE(svc().DeleteProject("p1"), kNotFound);
  MLCOST_ASSERT_OK(svc().DeleteTeam("nlp"));
  MLCOST_EXPECT_CODE(svc().DeleteTeam("nlp"), kNotFound);
  EXPECT_EQ(svc().ListTeams()->size(), 1u);
  EXPECT_EQ(svc().ListUsers()->size(), 1u);
  EXPECT_THAT(svc().ListProjects().value(), IsEmpty());
}

}  // namespace
}  // namespace mlcost::tracking
