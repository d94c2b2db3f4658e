// HeaderIndex: the column names of one billing file, looked up the way exports spell them.
//
// Providers spell one column several ways: `lineItem/UnblendedCost` (legacy CUR CSV),
// `line_item_unblended_cost` (Athena / CUR 2.0), `CostInBillingCurrency` vs `costInBillingCurrency`
// (Azure EA vs MCA), `service.description` vs `service_description` (GCP CSV vs BigQuery). Find()
// compares names by their letters and digits only, case-insensitively, so one mapping entry serves
// all spellings. Exact duplicates (case-insensitive) are an error the caller reports.
#ifndef MLCOST_BILLING_HEADER_INDEX_H_
#define MLCOST_BILLING_HEADER_INDEX_H_

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace mlcost::billing {

class HeaderIndex {
 public:
  explicit HeaderIndex(std::vector<std::string> names);

  // The file's own spelling of `name`, or nullopt if the file has no such column.
  std::optional<std::string> Find(std::string_view name) const;
  bool Has(std::string_view name) const { return Find(name).has_value(); }
  // Column names in file order.
  const std::vector<std::string>& names() const { return names_; }
  // Names that occur more than once (case-insensitively), each reported once.
  const std::vector<std::string>& duplicates() const { return duplicates_; }

  // Lower-cased letters and digits of `name`: the key Find() compares.
  static std::string Normalize(std::string_view name);

 private:
  std::vector<std::string> names_;
  std::vector<std::string> duplicates_;
  std::unordered_map<std::string, std::string> by_key_;  // first spelling wins
};

}  // namespace mlcost::billing

#endif  // MLCOST_BILLING_HEADER_INDEX_H_
