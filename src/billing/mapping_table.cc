#include "billing/mapping_table.h"

namespace mlcost::billing {

const FormatMapping& MappingFor(SourceFormat format) {
  switch (format) {
    case SourceFormat::kFocus:
      return FocusMapping();
    case SourceFormat::kFocusContractCommitment:
      return FocusContractCommitmentMapping();
    case SourceFormat::kAwsCur:
      return AwsCurMapping();
    case SourceFormat::kGcp:
      return GcpMapping();
    case SourceFormat::kAzure:
      return AzureMapping();
    case SourceFormat::kOci:
      return OciMapping();
  }
  return FocusMapping();
}

}  // namespace mlcost::billing
