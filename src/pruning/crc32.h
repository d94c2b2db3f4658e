// CRC-32 (ISO-HDLC, zlib's and Python's binascii.crc32).
#ifndef MLCOST_PRUNING_CRC32_H_
#define MLCOST_PRUNING_CRC32_H_

#include <cstdint>
#include <string_view>

namespace mlcost::pruning {

// binascii.crc32(data): the unsigned CRC-32 of the bytes.
uint32_t Crc32(std::string_view data);

}  // namespace mlcost::pruning

#endif  // MLCOST_PRUNING_CRC32_H_
