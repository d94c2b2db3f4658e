#include "sqlconsole/result_encoder.h"

#include <cmath>
#include <cstdio>
#include <memory>
#include <string_view>

#include "common/base64.h"
#include "common/time_util.h"

namespace mlcost::sqlconsole {
namespace {

using Json = nlohmann::json;

// Owns a duckdb_logical_type.
class TypeRef {
 public:
  explicit TypeRef(duckdb_logical_type type) : type_(type) {}
  TypeRef(const TypeRef&) = delete;
  TypeRef& operator=(const TypeRef&) = delete;
  ~TypeRef() {
    if (type_ != nullptr) duckdb_destroy_logical_type(&type_);
  }
  duckdb_logical_type get() const { return type_; }

 private:
  duckdb_logical_type type_;
};

std::string TakeString(char* s) {
  if (s == nullptr) return "";
  std::string out(s);
  duckdb_free(s);
  return out;
}

std::string Uint128Text(uint128 v) {
  if (v == 0) return "0";
  std::string digits;
  while (v > 0) {
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(v % 10)));
    v /= 10;
  }
  return digits;
}

std::string Int128Text(int128 v) {
  if (v >= 0) return Uint128Text(static_cast<uint128>(v));
  return "-" + Uint128Text(static_cast<uint128>(0) - static_cast<uint128>(v));
}

Json DoubleJson(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  return v;
}

std::string DateText(int32_t days) {
  return FormatIso8601(static_cast<Micros>(days) * 86400 * kMicrosPerSecond).substr(0, 10);
}

std::string TimeText(int64_t micros) {
  char buf[32];
  int64_t s = micros / kMicrosPerSecond, us = micros % kMicrosPerSecond;
  std::snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld", static_cast<long long>(s / 3600),
                static_cast<long long>(s / 60 % 60), static_cast<long long>(s % 60));
  std::string out = buf;
  if (us != 0) {
    std::snprintf(buf, sizeof buf, ".%06lld", static_cast<long long>(us));
    out += buf;
  }
  return out;
}

std::string UuidText(duckdb_hugeint h) {
  // DuckDB stores a UUID with its top bit flipped so that signed order is byte order.
  uint64_t upper = static_cast<uint64_t>(h.upper) ^ (uint64_t{1} << 63);
  char buf[40];
  std::snprintf(
      buf, sizeof buf, "%08llx-%04llx-%04llx-%04llx-%012llx", static_cast<unsigned long long>(upper >> 32),
      static_cast<unsigned long long>((upper >> 16) & 0xffff),
      static_cast<unsigned long long>(upper & 0xffff), static_cast<unsigned long long>(h.lower >> 48),
      static_cast<unsigned long long>(h.lower & 0xffffffffffffULL));
  return buf;
}

template <typename T>
T At(duckdb_vector vector, idx_t row) {
  return static_cast<T*>(duckdb_vector_get_data(vector))[row];
}

Json Encode(duckdb_vector vector, duckdb_logical_type type, idx_t row);

Json EncodeDecimal(duckdb_vector vector, duckdb_logical_type type, idx_t row) {
  const uint8_t scale = duckdb_decimal_scale(type);
  int128 v = 0;
  switch (duckdb_decimal_internal_type(type)) {
    case DUCKDB_TYPE_SMALLINT:
      v = At<int16_t>(vector, row);
      break;
    case DUCKDB_TYPE_INTEGER:
      v = At<int32_t>(vector, row);
      break;
    case DUCKDB_TYPE_BIGINT:
      v = At<int64_t>(vector, row);
      break;
    default: {
      duckdb_hugeint h = At<duckdb_hugeint>(vector, row);
      v = (static_cast<int128>(h.upper) << 64) | static_cast<int128>(h.lower);
    }
  }
  return DecimalText(v, scale);
}

Json EncodeEnum(duckdb_vector vector, duckdb_logical_type type, idx_t row) {
  idx_t index = 0;
  switch (duckdb_enum_internal_type(type)) {
    case DUCKDB_TYPE_UTINYINT:
      index = At<uint8_t>(vector, row);
      break;
    case DUCKDB_TYPE_USMALLINT:
      index = At<uint16_t>(vector, row);
      break;
    default:
      index = At<uint32_t>(vector, row);
  }
  return TakeString(duckdb_enum_dictionary_value(type, index));
}

Json EncodeList(duckdb_vector child, duckdb_logical_type child_type, idx_t offset, idx_t length) {
  Json out = Json::array();
  for (idx_t i = 0; i < length; ++i) out.push_back(Encode(child, child_type, offset + i));
  return out;
}

Json EncodeMap(duckdb_vector vector, duckdb_logical_type type, idx_t row) {
  duckdb_list_entry entry = At<duckdb_list_entry>(vector, row);
  duckdb_vector entries = duckdb_list_vector_get_child(vector);
  duckdb_vector keys = duckdb_struct_vector_get_child(entries, 0);
  duckdb_vector values = duckdb_struct_vector_get_child(entries, 1);
  TypeRef key_type(duckdb_map_type_key_type(type));
  TypeRef value_type(duckdb_map_type_value_type(type));
  Json out = Json::object();
  for (idx_t i = entry.offset; i < entry.offset + entry.length; ++i) {
    Json key = Encode(keys, key_type.get(), i);
    out[key.is_string() ? key.get<std::string>() : key.dump()] = Encode(values, value_type.get(), i);
  }
  return out;
}

Json EncodeStruct(duckdb_vector vector, duckdb_logical_type type, idx_t row) {
  Json out = Json::object();
  const idx_t n = duckdb_struct_type_child_count(type);
  for (idx_t i = 0; i < n; ++i) {
    TypeRef child_type(duckdb_struct_type_child_type(type, i));
    out[TakeString(duckdb_struct_type_child_name(type, i))] =
        Encode(duckdb_struct_vector_get_child(vector, i), child_type.get(), row);
  }
  return out;
}

Json EncodeUnion(duckdb_vector vector, duckdb_logical_type type, idx_t row) {
  const uint8_t tag = At<uint8_t>(duckdb_struct_vector_get_child(vector, 0), row);
  TypeRef member_type(duckdb_union_type_member_type(type, tag));
  return Encode(duckdb_struct_vector_get_child(vector, tag + 1), member_type.get(), row);
}

Json Encode(duckdb_vector vector, duckdb_logical_type type, idx_t row) {
  uint64_t* validity = duckdb_vector_get_validity(vector);
  if (validity != nullptr && !duckdb_validity_row_is_valid(validity, row)) return nullptr;
  switch (duckdb_get_type_id(type)) {
    case DUCKDB_TYPE_BOOLEAN:
      return At<bool>(vector, row);
    case DUCKDB_TYPE_TINYINT:
      return At<int8_t>(vector, row);
    case DUCKDB_TYPE_SMALLINT:
      return At<int16_t>(vector, row);
    case DUCKDB_TYPE_INTEGER:
      return At<int32_t>(vector, row);
    case DUCKDB_TYPE_BIGINT:
      return At<int64_t>(vector, row);
    case DUCKDB_TYPE_UTINYINT:
      return At<uint8_t>(vector, row);
    case DUCKDB_TYPE_USMALLINT:
      return At<uint16_t>(vector, row);
    case DUCKDB_TYPE_UINTEGER:
      return At<uint32_t>(vector, row);
    case DUCKDB_TYPE_UBIGINT:
      return At<uint64_t>(vector, row);
    case DUCKDB_TYPE_HUGEINT: {
      duckdb_hugeint h = At<duckdb_hugeint>(vector, row);
      return Int128Text((static_cast<int128>(h.upper) << 64) | static_cast<int128>(h.lower));
    }
    case DUCKDB_TYPE_UHUGEINT: {
      duckdb_uhugeint h = At<duckdb_uhugeint>(vector, row);
      return Uint128Text((static_cast<uint128>(h.upper) << 64) | static_cast<uint128>(h.lower));
    }
    case DUCKDB_TYPE_FLOAT:
      return DoubleJson(At<float>(vector, row));
    case DUCKDB_TYPE_DOUBLE:
      return DoubleJson(At<double>(vector, row));
    case DUCKDB_TYPE_DECIMAL:
      return EncodeDecimal(vector, type, row);
    case DUCKDB_TYPE_VARCHAR: {
      duckdb_string_t s = At<duckdb_string_t>(vector, row);
      return std::string(duckdb_string_t_data(&s), duckdb_string_t_length(s));
    }
    case DUCKDB_TYPE_BLOB: {
      duckdb_string_t s = At<duckdb_string_t>(vector, row);
      return Base64Encode(std::string_view(duckdb_string_t_data(&s), duckdb_string_t_length(s)));
    }
    case DUCKDB_TYPE_DATE:
      return DateText(At<duckdb_date>(vector, row).days);
    case DUCKDB_TYPE_TIME:
      return TimeText(At<duckdb_time>(vector, row).micros);
    case DUCKDB_TYPE_TIMESTAMP:
    case DUCKDB_TYPE_TIMESTAMP_TZ:
      return FormatIso8601(At<duckdb_timestamp>(vector, row).micros);
    case DUCKDB_TYPE_TIMESTAMP_S:
      return FormatIso8601(At<int64_t>(vector, row) * kMicrosPerSecond);
    case DUCKDB_TYPE_TIMESTAMP_MS:
      return FormatIso8601(At<int64_t>(vector, row) * kMicrosPerMilli);
    case DUCKDB_TYPE_TIMESTAMP_NS:
      return FormatIso8601(At<int64_t>(vector, row) / 1000);
    case DUCKDB_TYPE_INTERVAL: {
      duckdb_interval i = At<duckdb_interval>(vector, row);
      return Json{{"months", i.months}, {"days", i.days}, {"micros", i.micros}};
    }
    case DUCKDB_TYPE_UUID:
      return UuidText(At<duckdb_hugeint>(vector, row));
    case DUCKDB_TYPE_ENUM:
      return EncodeEnum(vector, type, row);
    case DUCKDB_TYPE_LIST: {
      duckdb_list_entry entry = At<duckdb_list_entry>(vector, row);
      TypeRef child_type(duckdb_list_type_child_type(type));
      return EncodeList(duckdb_list_vector_get_child(vector), child_type.get(), entry.offset, entry.length);
    }
    case DUCKDB_TYPE_ARRAY: {
      const idx_t size = duckdb_array_type_array_size(type);
      TypeRef child_type(duckdb_array_type_child_type(type));
      return EncodeList(duckdb_array_vector_get_child(vector), child_type.get(), row * size, size);
    }
    case DUCKDB_TYPE_MAP:
      return EncodeMap(vector, type, row);
    case DUCKDB_TYPE_STRUCT:
      return EncodeStruct(vector, type, row);
    case DUCKDB_TYPE_UNION:
      return EncodeUnion(vector, type, row);
    default:
      return nullptr;  // refused earlier by CheckEncodable
  }
}

}  // namespace

std::string DecimalText(int128 unscaled, uint8_t scale) {
  const bool negative = unscaled < 0;
  std::string digits = negative ? Uint128Text(static_cast<uint128>(0) - static_cast<uint128>(unscaled))
                                : Uint128Text(static_cast<uint128>(unscaled));
  if (scale > 0) {
    if (digits.size() <= scale) digits.insert(0, scale - digits.size() + 1, '0');
    digits.insert(digits.size() - scale, ".");
  }
  return negative ? "-" + digits : digits;
}

std::string TypeName(duckdb_logical_type type) {
  switch (duckdb_get_type_id(type)) {
    case DUCKDB_TYPE_DECIMAL:
      return "DECIMAL(" + std::to_string(duckdb_decimal_width(type)) + "," +
             std::to_string(duckdb_decimal_scale(type)) + ")";
    case DUCKDB_TYPE_LIST: {
      TypeRef child(duckdb_list_type_child_type(type));
      return TypeName(child.get()) + "[]";
    }
    case DUCKDB_TYPE_ARRAY: {
      TypeRef child(duckdb_array_type_child_type(type));
      return TypeName(child.get()) + "[" + std::to_string(duckdb_array_type_array_size(type)) + "]";
    }
    case DUCKDB_TYPE_MAP: {
      TypeRef key(duckdb_map_type_key_type(type));
      TypeRef value(duckdb_map_type_value_type(type));
      return "MAP(" + TypeName(key.get()) + ", " + TypeName(value.get()) + ")";
    }
    case DUCKDB_TYPE_STRUCT: {
      std::string out = "STRUCT(";
      for (idx_t i = 0; i < duckdb_struct_type_child_count(type); ++i) {
        TypeRef child(duckdb_struct_type_child_type(type, i));
        out += (i ? ", " : "") + TakeString(duckdb_struct_type_child_name(type, i)) + " " +
               TypeName(child.get());
      }
      return out + ")";
    }
    case DUCKDB_TYPE_BOOLEAN:
      return "BOOLEAN";
    case DUCKDB_TYPE_TINYINT:
      return "TINYINT";
    case DUCKDB_TYPE_SMALLINT:
      return "SMALLINT";
    case DUCKDB_TYPE_INTEGER:
      return "INTEGER";
    case DUCKDB_TYPE_BIGINT:
      return "BIGINT";
    case DUCKDB_TYPE_UTINYINT:
      return "UTINYINT";
    case DUCKDB_TYPE_USMALLINT:
      return "USMALLINT";
    case DUCKDB_TYPE_UINTEGER:
      return "UINTEGER";
    case DUCKDB_TYPE_UBIGINT:
      return "UBIGINT";
    case DUCKDB_TYPE_HUGEINT:
      return "HUGEINT";
    case DUCKDB_TYPE_UHUGEINT:
      return "UHUGEINT";
    case DUCKDB_TYPE_FLOAT:
      return "FLOAT";
    case DUCKDB_TYPE_DOUBLE:
      return "DOUBLE";
    case DUCKDB_TYPE_VARCHAR:
      return "VARCHAR";
    case DUCKDB_TYPE_BLOB:
      return "BLOB";
    case DUCKDB_TYPE_DATE:
      return "DATE";
    case DUCKDB_TYPE_TIME:
      return "TIME";
    case DUCKDB_TYPE_TIMESTAMP:
      return "TIMESTAMP";
    case DUCKDB_TYPE_TIMESTAMP_TZ:
      return "TIMESTAMP WITH TIME ZONE";
    case DUCKDB_TYPE_TIMESTAMP_S:
      return "TIMESTAMP_S";
    case DUCKDB_TYPE_TIMESTAMP_MS:
      return "TIMESTAMP_MS";
    case DUCKDB_TYPE_TIMESTAMP_NS:
      return "TIMESTAMP_NS";
    case DUCKDB_TYPE_INTERVAL:
      return "INTERVAL";
    case DUCKDB_TYPE_UUID:
      return "UUID";
    case DUCKDB_TYPE_ENUM:
      return "ENUM";
    case DUCKDB_TYPE_UNION:
      return "UNION";
    case DUCKDB_TYPE_BIT:
      return "BIT";
    case DUCKDB_TYPE_TIME_TZ:
      return "TIME WITH TIME ZONE";
    case DUCKDB_TYPE_SQLNULL:
      return "NULL";
    default:
      return "type #" + std::to_string(static_cast<int>(duckdb_get_type_id(type)));
  }
}

Status CheckEncodable(duckdb_logical_type type) {
  switch (duckdb_get_type_id(type)) {
    case DUCKDB_TYPE_LIST: {
      TypeRef child(duckdb_list_type_child_type(type));
      return CheckEncodable(child.get());
    }
    case DUCKDB_TYPE_ARRAY: {
      TypeRef child(duckdb_array_type_child_type(type));
      return CheckEncodable(child.get());
    }
    case DUCKDB_TYPE_MAP: {
      TypeRef key(duckdb_map_type_key_type(type));
      TypeRef value(duckdb_map_type_value_type(type));
      RETURN_IF_ERROR(CheckEncodable(key.get()));
      return CheckEncodable(value.get());
    }
    case DUCKDB_TYPE_STRUCT:
      for (idx_t i = 0; i < duckdb_struct_type_child_count(type); ++i) {
        TypeRef child(duckdb_struct_type_child_type(type, i));
        RETURN_IF_ERROR(CheckEncodable(child.get()));
      }
      return Status::Ok();
    case DUCKDB_TYPE_UNION:
      for (idx_t i = 0; i < duckdb_union_type_member_count(type); ++i) {
        TypeRef member(duckdb_union_type_member_type(type, i));
        RETURN_IF_ERROR(CheckEncodable(member.get()));
      }
      return Status::Ok();
    case DUCKDB_TYPE_BOOLEAN:
    case DUCKDB_TYPE_TINYINT:
    case DUCKDB_TYPE_SMALLINT:
    case DUCKDB_TYPE_INTEGER:
    case DUCKDB_TYPE_BIGINT:
    case DUCKDB_TYPE_UTINYINT:
    case DUCKDB_TYPE_USMALLINT:
    case DUCKDB_TYPE_UINTEGER:
    case DUCKDB_TYPE_UBIGINT:
    case DUCKDB_TYPE_HUGEINT:
    case DUCKDB_TYPE_UHUGEINT:
    case DUCKDB_TYPE_FLOAT:
    case DUCKDB_TYPE_DOUBLE:
    case DUCKDB_TYPE_DECIMAL:
    case DUCKDB_TYPE_VARCHAR:
    case DUCKDB_TYPE_BLOB:
    case DUCKDB_TYPE_DATE:
    case DUCKDB_TYPE_TIME:
    case DUCKDB_TYPE_TIMESTAMP:
    case DUCKDB_TYPE_TIMESTAMP_TZ:
    case DUCKDB_TYPE_TIMESTAMP_S:
    case DUCKDB_TYPE_TIMESTAMP_MS:
    case DUCKDB_TYPE_TIMESTAMP_NS:
    case DUCKDB_TYPE_INTERVAL:
    case DUCKDB_TYPE_UUID:
    case DUCKDB_TYPE_ENUM:
    case DUCKDB_TYPE_SQLNULL:
      return Status::Ok();
    default:
      return InvalidArgument("the console cannot encode values of type " + TypeName(type) +
                             "; CAST the column to VARCHAR");
  }
}

size_t AppendRows(duckdb_data_chunk chunk, size_t max_rows, Json& rows) {
  const idx_t size = duckdb_data_chunk_get_size(chunk);
  const idx_t columns = duckdb_data_chunk_get_column_count(chunk);
  const size_t n = std::min<size_t>(size, max_rows);
  std::vector<duckdb_vector> vectors(columns);
  std::vector<std::unique_ptr<TypeRef>> types;
  for (idx_t c = 0; c < columns; ++c) {
    vectors[c] = duckdb_data_chunk_get_vector(chunk, c);
    types.push_back(std::make_unique<TypeRef>(duckdb_vector_get_column_type(vectors[c])));
  }
  for (size_t r = 0; r < n; ++r) {
    Json row = Json::array();
    for (idx_t c = 0; c < columns; ++c) row.push_back(Encode(vectors[c], types[c]->get(), r));
    rows.push_back(std::move(row));
  }
  return n;
}

}  // namespace mlcost::sqlconsole
