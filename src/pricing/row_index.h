// RowIndex: catalog rows grouped by (provider, instance type) and by (provider, accelerator) for
// constant-time lookup; names compare case-insensitively.
#ifndef MLCOST_PRICING_ROW_INDEX_H_
#define MLCOST_PRICING_ROW_INDEX_H_

#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "pricing/catalog_row.h"

namespace mlcost::pricing {

// Copyable value. Thread-compatible: concurrent const calls are safe; Replace() needs exclusive
// access. Pointers returned by the finders stay valid until the next Replace().
class RowIndex {
 public:
  // Adds `rows`. For every (provider, instance type) and (provider, accelerator) key present in
  // `rows`, the rows held before under that key are dropped first: the newest file wins, and two
  // files never mix prices for one instance type.
  void Replace(std::vector<CatalogRow> rows);

  // Rows pricing `instance_type` of `provider` (canonical name); empty when none.
  std::vector<const CatalogRow*> FindInstance(std::string_view provider,
                                              std::string_view instance_type) const;
  // Accelerator rows (empty InstanceType) pricing `accelerator` of `provider`; empty when none.
  std::vector<const CatalogRow*> FindAccelerator(std::string_view provider,
                                                 std::string_view accelerator) const;
  // The providers listing `instance_type`, sorted; empty when none.
  std::vector<std::string> ProvidersOf(std::string_view instance_type) const;
  // The providers listing `accelerator` as a separately priced accelerator, sorted.
  std::vector<std::string> ProvidersOfAccelerator(std::string_view accelerator) const;

  size_t row_count() const { return row_count_; }

 private:
  using Groups = std::unordered_map<std::string, std::vector<CatalogRow>>;
  static std::string Key(std::string_view provider, std::string_view name);
  static std::vector<const CatalogRow*> Find(const Groups& groups, std::string_view provider,
                                             std::string_view name);

  Groups instances_;
  Groups accelerators_;
  // Lower-case name -> providers, for lookups that leave the provider open.
  std::unordered_map<std::string, std::set<std::string>> instance_providers_;
  std::unordered_map<std::string, std::set<std::string>> accelerator_providers_;
  size_t row_count_ = 0;
};

}  // namespace mlcost::pricing

#endif  // MLCOST_PRICING_ROW_INDEX_H_
