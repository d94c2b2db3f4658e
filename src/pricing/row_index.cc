#include "pricing/row_index.h"

#include <utility>

#include "pricing/provider_names.h"

namespace mlcost::pricing {

std::string RowIndex::Key(std::string_view provider, std::string_view name) {
  return std::string(provider) + '\n' + AsciiLower(name);
}

void RowIndex::Replace(std::vector<CatalogRow> rows) {
  Groups new_instances, new_accelerators;
  for (CatalogRow& row : rows) {
    if (!row.instance_type.empty()) {
      instance_providers_[AsciiLower(row.instance_type)].insert(row.provider);
      std::string key = Key(row.provider, row.instance_type);
      new_instances[key].push_back(std::move(row));
    } else {
      accelerator_providers_[AsciiLower(row.accelerator_name)].insert(row.provider);
      std::string key = Key(row.provider, row.accelerator_name);
      new_accelerators[key].push_back(std::move(row));
    }
  }
  auto merge = [this](Groups& held, Groups& added) {
    for (auto& [key, group] : added) {
      auto it = held.find(key);
      if (it != held.end()) row_count_ -= it->second.size();
      row_count_ += group.size();
      held[key] = std::move(group);
    }
  };
  merge(instances_, new_instances);
  merge(accelerators_, new_accelerators);
}

std::vector<const CatalogRow*> RowIndex::Find(const Groups& groups, std::string_view provider,
                                              std::string_view name) {
  std::vector<const CatalogRow*> out;
  auto it = groups.find(Key(provider, name));
  if (it == groups.end()) return out;
  out.reserve(it->second.size());
  for (const CatalogRow& row : it->second) out.push_back(&row);
  return out;
}

std::vector<const CatalogRow*> RowIndex::FindInstance(std::string_view provider,
                                                      std::string_view instance_type) const {
  return Find(instances_, provider, instance_type);
}

std::vector<const CatalogRow*> RowIndex::FindAccelerator(std::string_view provider,
                                                         std::string_view accelerator) const {
  return Find(accelerators_, provider, accelerator);
}

std::vector<std::string> RowIndex::ProvidersOf(std::string_view instance_type) const {
  auto it = instance_providers_.find(AsciiLower(instance_type));
  if (it == instance_providers_.end()) return {};
  return {it->second.begin(), it->second.end()};
}

std::vector<std::string> RowIndex::ProvidersOfAccelerator(std::string_view accelerator) const {
  auto it = accelerator_providers_.find(AsciiLower(accelerator));
  if (it == accelerator_providers_.end()) return {};
  return {it->second.begin(), it->second.end()};
}

}  // namespace mlcost::pricing
