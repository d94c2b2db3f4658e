#include "stagecache/entry.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "common/sha256.h"

namespace mlcost::stagecache {
namespace {

Entry Sample() {
  Entry e;
  e.description = R"({"format":"mlcost-stagecache/1","user_key":"t"})";
  e.key = Sha256Hex(e.description);
  e.label = "t";
  e.created_at = 1'700'000'000'000'000;
  e.run_seconds = 12.5;
  e.outputs = {{"out/a.bin", std::string(64, 'a'), 10, false}, {"out/run.sh", std::string(64, 'b'), 5, true}};
  return e;
}

TEST(EntryTest, RoundTrips) {
  Entry e = Sample();
  auto back = ParseEntry(EntryToJson(e), e.key);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->outputs.size(), 2u);
  EXPECT_EQ(back->outputs[1].path, "out/run.sh");
  EXPECT_TRUE(back->outputs[1].executable);
  EXPECT_EQ(back->created_at, e.created_at);
  EXPECT_EQ(back->TotalBytes(), 15u);
}

TEST(EntryTest, RejectsTruncatedAndTamperedEntries) {
  Entry e = Sample();
  std::string json = EntryToJson(e);
  EXPECT_EQ(ParseEntry(json.substr(0, json.size() / 2), e.key).status().code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(ParseEntry(json, std::string(64, 'f')).ok());  // filed under another key
  auto j = nlohmann::json::parse(json);
  j["description"] = R"({"format":"mlcost-stagecache/1","user_key":"other"})";
  EXPECT_NE(ParseEntry(j.dump(), e.key).status().message().find("SHA-256"), std::string::npos);
  j = nlohmann::json::parse(json);
  j["outputs"][0]["path"] = "../../etc/passwd";
  EXPECT_NE(ParseEntry(j.dump(), e.key).status().message().find(".."), std::string::npos);
  j = nlohmann::json::parse(json);
  j["outputs"][0]["path"] = "/etc/passwd";
  EXPECT_FALSE(ParseEntry(j.dump(), e.key).ok());
  j = nlohmann::json::parse(json);
  j["outputs"][0]["sha256"] = "../x";
  EXPECT_FALSE(ParseEntry(j.dump(), e.key).ok());
  j = nlohmann::json::parse(json);
  j["format"] = "mlcost-stagecache/2";
  EXPECT_FALSE(ParseEntry(j.dump(), e.key).ok());
  j = nlohmann::json::parse(json);
  j["outputs"][0]["size"] = "ten";
  EXPECT_FALSE(ParseEntry(j.dump(), e.key).ok());
}

}  // namespace
}  // namespace mlcost::stagecache
