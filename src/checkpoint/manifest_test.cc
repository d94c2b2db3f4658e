#include "checkpoint/manifest.h"

#include <gtest/gtest.h>

namespace mlcost::checkpoint {
namespace {

const std::string kSha(64, 'a');

std::string Valid(const std::string& extra = "") {
  return R"({"format": "mlcost-checkpoint/1", "name": "step-000400", "created_at": "2026-12-01T16:20:00.123456Z",
             "step": 400, "metrics": {"val_loss": 0.25}, )" +
         extra + R"("files": [{"path": "model.pt", "size": 123456, "sha256": ")" + kSha + R"("}]})";
}

TEST(ManifestTest, ParsesTheContractExample) {
  auto m = ParseManifest(Valid(), "step-000400");
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->name, "step-000400");
  EXPECT_EQ(m->created_at, "2026-12-01T16:20:00.123456Z");
  EXPECT_EQ(m->step, 400);
  EXPECT_EQ(m->metrics.at("val_loss"), 0.25);
  ASSERT_EQ(m->files.size(), 1u);
  EXPECT_EQ(m->files[0], (ManifestFile{"model.pt", 123456, kSha}));
  auto unknown = ParseManifest(Valid(R"("future_field": [1], )"), "step-000400");
  EXPECT_TRUE(unknown.ok()) << "unknown fields are ignored";
}

TEST(ManifestTest, StepNullAndMetricsOptional) {
  std::string text = R"({"format": "mlcost-checkpoint/1", "name": "a", "created_at": "2026-12-01T00:00:00Z",
                        "step": null, "files": [{"path": "d/x", "size": 0, "sha256": ")" +
                     kSha + R"("}]})";
  auto m = ParseManifest(text, "a");
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_FALSE(m->step.has_value());
  EXPECT_TRUE(m->metrics.empty());
}

struct BadCase {
  std::string text;
  std::string expected_in_message;
};

TEST(ManifestTest, RejectsEachBrokenRuleNamingIt) {
  auto with = [](const std::string& from, const std::string& to) {
    std::string t = Valid();
    size_t pos = t.find(from);
    EXPECT_NE(pos, std::string::npos) << from;
    return t.replace(pos, from.size(), to);
  };
  const BadCase cases[] = {
      {"not json", "not valid JSON"},
      {"[1]", "not a JSON object"},
      {with("mlcost-checkpoint/1", "mlcost-checkpoint/2"), "\"format\""},
      {with("\"name\": \"step-000400\"", "\"name\": \"other\""), "not the directory's name"},
      {with("2026-12-01T16:20:00.123456Z", "yesterday"), "\"created_at\""},
      {with("\"step\": 400", "\"step\": 4.5"), "\"step\""},
      {with("0.25", "\"low\""), "metric 'val_loss'"},
      {with("\"size\": 123456", "\"size\": -1"), "\"size\""},
      {with(kSha, std::string(64, 'A')), "\"sha256\""},
      {with(kSha, "abc"), "\"sha256\""},
      {with("model.pt", "../model.pt"), "'..'"},
      {with("model.pt", "/etc/passwd"), "relative"},
      {with(R"("files": [{"path": "model.pt", "size": 123456, "sha256": ")" + kSha + R"("}])",
            R"("files": [])"),
       "non-empty"},
      {with(R"({"path": "model.pt", "size": 123456, "sha256": ")" + kSha + R"("})",
            R"({"path": "m", "size": 1, "sha256": ")" + kSha + R"("}, {"path": "m", "size": 1, "sha256": ")" +
                kSha + R"("})"),
       "listed twice"},
  };
  for (const BadCase& c : cases) {
    auto m = ParseManifest(c.text, "step-000400");
    ASSERT_FALSE(m.ok()) << c.text;
    EXPECT_EQ(m.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(m.status().message().find(c.expected_in_message), std::string::npos)
        << m.status().message() << " should mention " << c.expected_in_message;
    EXPECT_NE(m.status().message().find("step-000400"), std::string::npos) << "names the checkpoint";
  }
}

TEST(ManifestTest, WrittenJsonParsesBackIdentically) {
  Manifest m;
  m.name = "ckpt-1";
  m.created_at_us = 1'796'142'000'000'001;
  m.created_at = FormatCreatedAt(m.created_at_us);
  m.step = 7;
  m.metrics = {{"acc", 0.5}, {"loss", 1e-9}};
  m.files = {{"a/b.bin", 10, kSha}, {"c", 0, std::string(64, '0')}};
  std::string json = ManifestToJson(m);
  EXPECT_EQ(json.find("\"format\""), json.find('"')) << "format comes first: " << json;
  auto back = ParseManifest(json, "ckpt-1");
  ASSERT_TRUE(back.ok()) << back.status().ToString() << json;
  EXPECT_EQ(back->created_at, m.created_at);
  EXPECT_EQ(back->created_at_us, m.created_at_us);
  EXPECT_EQ(back->step, m.step);
  EXPECT_EQ(back->metrics, m.metrics);
  EXPECT_EQ(back->files, m.files);
}

TEST(ManifestTest, CreatedAtAlwaysHasSixFractionalDigits) {
  // 2026-12-01T16:20:00Z = 1796142000 s (date -u -d 2026-12-01T16:20:00Z +%s).
  EXPECT_EQ(FormatCreatedAt(Micros{1796142000} * kMicrosPerSecond), "2026-12-01T16:20:00.000000Z");
  EXPECT_EQ(FormatCreatedAt(Micros{1796142000} * kMicrosPerSecond + 123456), "2026-12-01T16:20:00.123456Z");
}

TEST(ManifestTest, NameRules) {
  EXPECT_TRUE(ValidateCheckpointName("step-000400").ok());
  EXPECT_TRUE(ValidateCheckpointName("A.b_c-9").ok());
  EXPECT_FALSE(ValidateCheckpointName("").ok());
  EXPECT_FALSE(ValidateCheckpointName(".hidden").ok());
  EXPECT_FALSE(ValidateCheckpointName("a/b").ok());
  EXPECT_FALSE(ValidateCheckpointName("a b").ok());
  EXPECT_TRUE(ValidateCheckpointName(std::string(200, 'x')).ok());
  EXPECT_FALSE(ValidateCheckpointName(std::string(201, 'x')).ok());
}

TEST(ManifestTest, SanitizeProducesValidNames) {
  EXPECT_EQ(SanitizeCheckpointName("model step 5.pt"), "model_step_5.pt");
  EXPECT_EQ(SanitizeCheckpointName("..x"), "x");
  EXPECT_EQ(SanitizeCheckpointName("..."), "checkpoint");
  EXPECT_EQ(SanitizeCheckpointName(std::string(300, 'y')).size(), 200u);
  for (const char* raw : {"ü.pt", "/a/b", ".", "a\nb"}) {
    EXPECT_TRUE(ValidateCheckpointName(SanitizeCheckpointName(raw)).ok()) << raw;
  }
}

TEST(ManifestTest, StepFromFileNameTakesTheFirstRunOfDigits) {
  EXPECT_EQ(StepFromFileName("step-000400.pt"), 400);
  EXPECT_EQ(StepFromFileName("epoch3_step200.pt"), 3);
  EXPECT_EQ(StepFromFileName("model.pt"), std::nullopt);
  EXPECT_EQ(StepFromFileName("ckpt-99999999999999999999.pt"), std::nullopt);
  EXPECT_EQ(StepFromFileName("9223372036854775807"), INT64_MAX);
}

TEST(ManifestTest, OrderIsCreatedAtThenStepThenName) {
  auto make = [](Micros t, std::optional<int64_t> step, std::string name) {
    Manifest m;
    m.created_at_us = t;
    m.step = step;
    m.name = std::move(name);
    return m;
  };
  EXPECT_TRUE(CheckpointOlder(make(1, 9, "z"), make(2, 1, "a")));
  EXPECT_TRUE(CheckpointOlder(make(1, std::nullopt, "z"), make(1, 0, "a")));
  EXPECT_TRUE(CheckpointOlder(make(1, 1, "z"), make(1, 2, "a")));
  EXPECT_TRUE(CheckpointOlder(make(1, 1, "a"), make(1, 1, "b")));
  EXPECT_FALSE(CheckpointOlder(make(1, 1, "a"), make(1, 1, "a")));
}

}  // namespace
}  // namespace mlcost::checkpoint
