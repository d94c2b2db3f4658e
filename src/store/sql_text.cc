#include "store/sql_text.h"

namespace mlcost::store {
namespace {

std::string Quoted(std::string_view text, char quote) {
  std::string out(1, quote);
  for (char c : text) {
    out.push_back(c);
    if (c == quote) out.push_back(quote);
  }
  out.push_back(quote);
  return out;
}

}  // namespace

std::string QuoteIdentifier(std::string_view name) { return Quoted(name, '"'); }
std::string QuoteLiteral(std::string_view text) { return Quoted(text, '\''); }

}  // namespace mlcost::store
