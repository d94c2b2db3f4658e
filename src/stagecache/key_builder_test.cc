#include "stagecache/key_builder.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "common/sha256.h"
#include "stagecache/test_util.h"

namespace mlcost::stagecache {
namespace {

StageSpec Base() {
  StageSpec s;
  s.argv = {"python3", "prep.py", "--fast"};
  s.deps = {{"data", true, std::string(64, 'a'), 10, 2}, {"cfg.yaml", false, std::string(64, 'b'), 3, 1}};
  s.params = {{"lr", "0.1"}};
  s.scripts = {{"prep.py", std::string(64, 'c')}};
  s.env = {{"LANG", std::string("C.UTF-8")}, {"TZ", std::nullopt}};
  s.outs = {"out/a", "out/b"};
  return s;
}

TEST(KeyBuilderTest, KeyIsSha256OfCanonicalVersionedDescription) {
  StageKey k = BuildKey(Base());
  EXPECT_EQ(k.key, Sha256Hex(k.description));
  auto j = nlohmann::json::parse(k.description);
  EXPECT_EQ(j["format"], "mlcost-stagecache/1");
  EXPECT_EQ(j.dump(), k.description);  // compact, keys sorted: re-serialising changes nothing
  EXPECT_TRUE(j["env"]["TZ"].is_null());
  EXPECT_EQ(j["deps"][0]["path"], "cfg.yaml");  // sorted by path
}

TEST(KeyBuilderTest, EveryPartChangesTheKey) {
  const std::string base = BuildKey(Base()).key;
  auto changed = [&](auto mutate) {
    StageSpec s = Base();
    mutate(s);
    return BuildKey(s).key;
  };
  EXPECT_NE(base, changed([](StageSpec& s) { s.argv.push_back("--slow"); }));
  EXPECT_NE(base, changed([](StageSpec& s) { s.deps[0].sha256 = std::string(64, 'd'); }));
  EXPECT_NE(base, changed([](StageSpec& s) { s.deps[1].is_dir = true; }));
  EXPECT_NE(base, changed([](StageSpec& s) { s.params["lr"] = "0.2"; }));
  EXPECT_NE(base, changed([](StageSpec& s) { s.scripts[0].sha256 = std::string(64, 'e'); }));
  EXPECT_NE(base, changed([](StageSpec& s) { s.env["TZ"] = "UTC"; }));
  EXPECT_NE(base, changed([](StageSpec& s) { s.outs.push_back("out/c"); }));
  // Order of --dep / --out flags does not matter; argv order does.
  EXPECT_EQ(base, changed([](StageSpec& s) { std::swap(s.deps[0], s.deps[1]); }));
  EXPECT_EQ(base, changed([](StageSpec& s) { std::swap(s.outs[0], s.outs[1]); }));
  EXPECT_NE(base, changed([](StageSpec& s) { std::swap(s.argv[1], s.argv[2]); }));
}

TEST(KeyBuilderTest, UserKeyHashesOnlyTheKey) {
  StageKey a = BuildUserKey("prep-v1");
  EXPECT_EQ(a.key, Sha256Hex(a.description));
  EXPECT_NE(a.key, BuildUserKey("prep-v2").key);
  EXPECT_NE(a.description.find("prep-v1"), std::string::npos);
}

TEST(KeyBuilderTest, ScriptsOfFindsTheInterpretedScript) {
  testing::TempDir dir;
  testing::ScopedCwd cwd(dir.path());
  testing::WriteFile(dir / "prep.py", "print(1)\n");
  auto scripts = ScriptsOf({"python3", "-u", "prep.py", "data.csv"});
  ASSERT_TRUE(scripts.ok());
  ASSERT_EQ(scripts->size(), 1u);
  EXPECT_EQ((*scripts)[0].path, "prep.py");
  EXPECT_EQ((*scripts)[0].sha256, Sha256Hex("print(1)\n"));
  testing::WriteFile(dir / "prep.py", "print(2)\n");
  EXPECT_NE((*ScriptsOf({"python3", "prep.py"}))[0].sha256, (*scripts)[0].sha256);
  EXPECT_TRUE(ScriptsOf({"echo", "not-a-file"})->empty());
}

TEST(KeyBuilderTest, EnvAllowListReadsValues) {
  ::setenv("MLCOST_TEST_SEED", "7", 1);
  auto env = AllowedEnv({"MLCOST_TEST_SEED", "MLCOST_TEST_UNSET_VAR"});
  EXPECT_EQ(env["MLCOST_TEST_SEED"], std::optional<std::string>("7"));
  EXPECT_EQ(env["MLCOST_TEST_UNSET_VAR"], std::nullopt);
  EXPECT_EQ(env.count("PYTHONHASHSEED"), 1u);
  EXPECT_EQ(env.count("HOME"), 0u);  // not on the list
}

}  // namespace
}  // namespace mlcost::stagecache
