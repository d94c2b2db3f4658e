// ASCII text helpers: names, codes and SQL keywords are compared case-insensitively in ASCII.
#ifndef MLCOST_COMMON_ASCII_H_
#define MLCOST_COMMON_ASCII_H_

#include <string>
#include <string_view>

namespace mlcost {

// `text` with ASCII letters lower-cased; other bytes unchanged.
std::string AsciiLower(std::string_view text);

}  // namespace mlcost

#endif  // MLCOST_COMMON_ASCII_H_
