// The provider mappings rendered for people: docs/billing.md embeds these tables, and
// `mlcost mapping PROVIDER` prints them (a unit test keeps the two identical).
#ifndef MLCOST_BILLING_MAPPING_DOC_H_
#define MLCOST_BILLING_MAPPING_DOC_H_

#include <string>

#include "billing/source_format.h"

namespace mlcost::billing {

// A Markdown table: one row per target column with its templates in order ("; " between
// alternatives), then the tag-column patterns and the cost column.
std::string MappingMarkdown(SourceFormat format);

}  // namespace mlcost::billing

#endif  // MLCOST_BILLING_MAPPING_DOC_H_
