#include "bench/ingest/focus_csv_generator.h"

#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>

namespace mlcost::bench {
namespace {



uint64_t SplitMix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// Splits CSV text into records of raw fields (quotes kept, "" kept), RFC 4180.
std::vector<std::vector<std::string>> SplitCsv(const std::string& text) {
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> fields;
  std::string field;
  bool quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '"') quoted = !quoted;  // a doubled quote toggles twice
    if (!quoted && c == ',') {
      fields.push_back(std::move(field));
      field.clear();
    } else if (!quoted && (c == '\n' || c == '\r')) {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      fields.push_back(std::move(field));
      field.clear();
      records.push_back(std::move(fields));
      fields.clear();
    } else {
      field.push_back(c);
    }
  }
  if (!field.empty() || !fields.empty()) {
    fields.push_back(std::move(field));
    records.push_back(std::move(fields));
  }
  return records;
}

std::string Unquote(const std::string& raw) {
  if (raw.size() >= 2 && raw.front() == '"' && raw.back() == '"') return raw.substr(1, raw.size() - 2);
  return raw;
}

// Howard Hinnant's days_from_civil / civil_from_days.
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void CivilFromDays(int64_t z, int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
}

unsigned DaysInMonth(int64_t y, unsigned m) {
  unsigned next_m = m == 12 ? 1 : m + 1;
  int64_t next_y = m == 12 ? y + 1 : y;
  return static_cast<unsigned>(DaysFromCivil(next_y, next_m, 1) - DaysFromCivil(y, m, 1));
}

// A "YYYY-MM-DD HH:MM:SS" time, optionally quoted: its day number and the text after the date.
struct Time {
  bool quoted = false;
  int64_t days = 0;
  std::string clock;  // " HH:MM:SS"
};

bool ParseTime(const std::string& raw, Time& t) {
  std::string s = Unquote(raw);
  t.quoted = s.size() != raw.size();
  int y = 0;
  unsigned mo = 0, d = 0;
  if (s.size() != 19 || std::sscanf(s.c_str(), "%4d-%2u-%2u", &y, &mo, &d) != 3 || s[4] != '-' || s[10] != ' ') {
    return false;
  }
  t.days = DaysFromCivil(y, mo, d);
  t.clock = s.substr(10);
  return true;
}

void AppendTime(const Time& t, int64_t days, std::string& out) {
  int64_t y;
  unsigned m, d;
  CivilFromDays(days, y, m, d);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(y), m, d);
  if (t.quoted) out.push_back('"');
  out += buf;
  out += t.clock;
  if (t.quoted) out.push_back('"');
}

// An amount as written: optional quotes, optional '-', digits, optional '.' and digits.
struct Amount {
  bool valid = false, quoted = false, negative = false;
  int128 mantissa = 0;
  int scale = 0;
};

Amount ParseAmount(const std::string& raw) {
  Amount a;
  std::string s = Unquote(raw);
  a.quoted = s.size() != raw.size();
  size_t i = 0;
  if (i < s.size() && s[i] == '-') {
    a.negative = true;
    ++i;
  }
  bool digits = false, dot = false;
  for (; i < s.size(); ++i) {
    if (s[i] == '.' && !dot) {
      dot = true;
    } else if (s[i] >= '0' && s[i] <= '9') {
      if (a.mantissa > (static_cast<int128>(1) << 120)) return Amount{};
      a.mantissa = a.mantissa * 10 + (s[i] - '0');
      digits = true;
      if (dot) ++a.scale;
    } else {
      return Amount{};
    }
  }
  a.valid = digits && a.scale <= 18;
  return a;
}

void AppendAmount(const Amount& a, int128 mantissa, std::string& out) {
  char digits[64];
  int n = 0;
  int128 v = mantissa;
  do {
    digits[n++] = static_cast<char>('0' + static_cast<int>(v % 10));
    v /= 10;
  } while (v != 0);
  while (n <= a.scale) digits[n++] = '0';  // at least one digit before the point
  if (a.quoted) out.push_back('"');
  if (a.negative && mantissa != 0) out.push_back('-');
  for (int i = n - 1; i >= 0; --i) {
    out.push_back(digits[i]);
    if (i == a.scale && a.scale > 0) out.push_back('.');
  }
  if (a.quoted) out.push_back('"');
}

int128 Pow10(int n) {
  int128 p = 1;
  while (n-- > 0) p *= 10;
  return p;
}

std::optional<size_t> ColumnIndex(const std::vector<std::string>& header, std::string_view name) {
  for (size_t i = 0; i < header.size(); ++i) {
    if (Unquote(header[i]) == name) return i;
  }
  return std::nullopt;
}

}  // namespace

Result<FocusCsvGenerator> FocusCsvGenerator::Load(const std::string& sample_path) {
  std::ifstream in(sample_path, std::ios::binary);
  if (!in) return NotFound("cannot read sample " + sample_path);
  std::stringstream text;
  text << in.rdbuf();
  std::vector<std::vector<std::string>> records = SplitCsv(text.str());
  if (records.size() < 2) return InvalidArgument(sample_path + ": needs a header and at least one row");
  FocusCsvGenerator g;
  const std::vector<std::string>& header = records[0];
  for (size_t i = 0; i < header.size(); ++i) g.header_ += (i ? "," : "") + header[i];
  auto need = [&](std::string_view name, size_t& index) -> Status {
    std::optional<size_t> i = ColumnIndex(header, name);
    if (!i) return InvalidArgument(sample_path + ": no column " + std::string(name));
    index = *i;
    return Status::Ok();
  };
  RETURN_IF_ERROR(need("ChargePeriodStart", g.charge_start_));
  RETURN_IF_ERROR(need("ChargePeriodEnd", g.charge_end_));
  RETURN_IF_ERROR(need("BilledCost", g.billed_cost_));
  RETURN_IF_ERROR(need("ResourceId", g.resource_id_));
  RETURN_IF_ERROR(need("Tags", g.tags_));
  g.is_amount_.assign(header.size(), false);
  for (std::string_view name : {"BilledCost", "EffectiveCost", "ListCost", "ContractedCost", "ConsumedQuantity",
                                "PricingQuantity"}) {
    if (std::optional<size_t> i = ColumnIndex(header, name)) g.is_amount_[*i] = true;
  }
  for (size_t r = 1; r < records.size(); ++r) {
    if (records[r].size() != header.size()) {
      return InvalidArgument(sample_path + ": record " + std::to_string(r + 1) + " has " +
                             std::to_string(records[r].size()) + " fields, the header " +
                             std::to_string(header.size()));
    }
    Time start, end;
    if (!ParseTime(records[r][g.charge_start_], start) || !ParseTime(records[r][g.charge_end_], end)) {
      return InvalidArgument(sample_path + ": record " + std::to_string(r + 1) +
                             ": charge period is not \"YYYY-MM-DD HH:MM:SS\"");
    }
    Amount billed = ParseAmount(records[r][g.billed_cost_]);
    if (billed.valid && billed.scale > 12) {
      return InvalidArgument(sample_path + ": record " + std::to_string(r + 1) + ": BilledCost has more than 12 decimals");
    }
    g.rows_.push_back(std::move(records[r]));
  }
  return g;
}

Result<GeneratedFile> FocusCsvGenerator::Write(const std::string& out_path, int64_t rows, uint64_t seed,
                                               int64_t bad_row) const {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(out_path.c_str(), "wb"), &std::fclose);
  if (!file) return Internal("cannot write " + out_path);
  GeneratedFile result;
  std::string buf;
  buf.reserve(9 << 20);
  buf += header_;
  buf.push_back('\n');
  auto flush = [&]() -> Status {
    if (std::fwrite(buf.data(), 1, buf.size(), file.get()) != buf.size()) return Internal("cannot write " + out_path);
    result.bytes += static_cast<int64_t>(buf.size());
    buf.clear();
    return Status::Ok();
  };
  const int128 to_units_scale = 12;
  for (int64_t i = 0; i < rows; ++i) {
    const size_t n = rows_.size();
    const std::vector<std::string>& row = rows_[static_cast<size_t>(i) % n];
    const int64_t copy = i / static_cast<int64_t>(n);
    const uint64_t h = SplitMix64(seed ^ SplitMix64(static_cast<uint64_t>(i)));
    const int factor = copy == 0 ? 100 : 50 + static_cast<int>(h % 101);  // percent
    Time start, end;
    int64_t shift = 0;
    if (copy > 0 && ParseTime(row[charge_start_], start) && ParseTime(row[charge_end_], end)) {
      int64_t y;
      unsigned m, d;
      CivilFromDays(start.days, y, m, d);
      unsigned dim = DaysInMonth(y, m);
      unsigned day = static_cast<unsigned>((d - 1 + SplitMix64(seed + static_cast<uint64_t>(copy)) % dim) % dim) + 1;
      shift = static_cast<int64_t>(day) - static_cast<int64_t>(d);
    }
    for (size_t c = 0; c < row.size(); ++c) {
      if (c) buf.push_back(',');
      const std::string& raw = row[c];
      if (copy > 0 && (c == charge_start_ || c == charge_end_)) {
        Time t;
        ParseTime(raw, t);
        AppendTime(t, t.days + shift, buf);
      } else if (copy > 0 && c == resource_id_ && raw != "NULL" && !raw.empty()) {
        bool quoted = raw.size() >= 2 && raw.back() == '"';
        buf.append(raw, 0, raw.size() - (quoted ? 1 : 0));
        buf += "-c" + std::to_string(copy);
        if (quoted) buf.push_back('"');
      } else if (copy > 0 && c == tags_ && raw.size() >= 4 && raw.front() == '"' && raw.ends_with("}\"")) {
        std::string entry = "\"\"cost_center\"\": \"\"cc-" + std::to_string((h >> 20) % 400) + "\"\"";
        bool empty = raw.find_first_not_of(" ", 2) == raw.size() - 2;  // "{}" or "{ }"
        buf.append(raw, 0, raw.size() - 2);
        buf += (empty ? "" : ", ") + entry + "}\"";
      } else if (c == billed_cost_ && i + 1 == bad_row) {
        buf += "12.3.4";
      } else if (is_amount_[c]) {
        Amount a = ParseAmount(raw);
        if (!a.valid) {
          buf += raw;
          continue;
        }
        int128 scaled = (a.mantissa * factor + 50) / 100;  // round half up on the magnitude
        AppendAmount(a, scaled, buf);
        if (c == billed_cost_) {
          int128 units = scaled * Pow10(static_cast<int>(to_units_scale) - a.scale);
          result.billed_cost += Decimal::FromUnits(a.negative ? -units : units);
        }
      } else {
        buf += raw;
      }
    }
    buf.push_back('\n');
    ++result.rows;
    if (buf.size() >= (8 << 20)) RETURN_IF_ERROR(flush());
  }
  RETURN_IF_ERROR(flush());
  if (std::fflush(file.get()) != 0) return Internal("cannot write " + out_path);
  return result;
}

}  // namespace mlcost::bench
