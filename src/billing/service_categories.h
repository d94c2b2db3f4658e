// FOCUS ServiceCategory for native exports, which name services but not categories: a small
// lookup per provider (the services ML teams pay for), "Other" for the rest.
#ifndef MLCOST_BILLING_SERVICE_CATEGORIES_H_
#define MLCOST_BILLING_SERVICE_CATEGORIES_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mlcost::billing {

using CategoryTable = std::vector<std::pair<std::string_view, std::string_view>>;  // service → category

// Keys are matched case-insensitively against the provider's service name or code.
const CategoryTable& AwsServiceCategories();    // lineItem/ProductCode
const CategoryTable& AzureServiceCategories();  // MeterCategory
const CategoryTable& GcpServiceCategories();    // service.description
const CategoryTable& OciServiceCategories();    // product/service

// A SQL CASE expression over `arg` mapping `table`'s services to categories, ELSE 'Other'.
std::string CategoryCaseSql(const CategoryTable& table, std::string_view arg);

}  // namespace mlcost::billing

#endif  // MLCOST_BILLING_SERVICE_CATEGORIES_H_
