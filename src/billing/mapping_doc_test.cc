// docs/billing.md embeds each provider's mapping table between markers; it must be exactly what
// the code maps (regenerate with `build/mlcost mapping PROVIDER`).
#include "billing/mapping_doc.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace mlcost::billing {
namespace {

TEST(MappingDocTest, DocsShowTheMappingsTheCodeUses) {
  const char* env = std::getenv("MLCOST_SOURCE_DIR");
  std::string root = env != nullptr && *env != '\0' ? env : MLCOST_DEFAULT_SOURCE_DIR;
  std::ifstream in(root + "/docs/billing.md");
  ASSERT_TRUE(in) << root << "/docs/billing.md";
  std::stringstream text;
  text << in.rdbuf();
  const std::string doc = text.str();
  for (SourceFormat f : {SourceFormat::kFocus, SourceFormat::kFocusContractCommitment, SourceFormat::kAwsCur,
                         SourceFormat::kGcp, SourceFormat::kAzure, SourceFormat::kOci}) {
    std::string begin = "<!-- mapping:" + std::string(FormatName(f)) + " -->\n";
    std::string end = "<!-- /mapping -->";
    size_t b = doc.find(begin);
    ASSERT_NE(b, std::string::npos) << "docs/billing.md lacks " << begin;
    size_t e = doc.find(end, b);
    ASSERT_NE(e, std::string::npos);
    EXPECT_EQ(doc.substr(b + begin.size(), e - b - begin.size()), MappingMarkdown(f))
        << "docs/billing.md is stale for " << FormatName(f) << ": regenerate with `mlcost mapping "
        << FormatName(f) << "`";
  }
}

}  // namespace
}  // namespace mlcost::billing
