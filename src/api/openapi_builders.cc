#include "api/openapi_builders.h"

namespace mlcost::api::oas {

Json Ref(std::string_view name) { return {{"$ref", "#/components/schemas/" + std::string(name)}}; }
Json ParamRef(std::string_view name) { return {{"$ref", "#/components/parameters/" + std::string(name)}}; }

Json Str(const char* d) { return {{"type", "string"}, {"description", d}}; }
Json Time(const char* d) { return {{"type", "string"}, {"format", "date-time"}, {"description", d}}; }
Json Int(const char* d) { return {{"type", "integer"}, {"format", "int64"}, {"description", d}}; }
Json Bool(const char* d) { return {{"type", "boolean"}, {"description", d}}; }
Json Money(const char* d) {
  return {{"type", "string"}, {"pattern", "^-?[0-9]+(\\.[0-9]+)?$"}, {"description", d}, {"example", "1.53"}};
}
Json Nullable(Json s) {
  s["nullable"] = true;
  return s;
}
Json Array(Json items) { return {{"type", "array"}, {"items", std::move(items)}}; }
// `required` is a vector, not a Json: nlohmann reads a braced pair of strings as an object.
Json Object(Json properties, const std::vector<std::string>& required) {
  Json o = {{"type", "object"}, {"properties", std::move(properties)}};
  if (!required.empty()) o["required"] = required;
  return o;
}
Json Enum(const std::vector<std::string>& values, const char* d) {
  return {{"type", "string"}, {"enum", values}, {"description", d}};
}
Json StringMap(const char* d) {
  return {{"type", "object"}, {"additionalProperties", {{"type", "string"}}}, {"description", d}};
}

Json PathParam(const char* name, const char* d) {
  return {{"name", name}, {"in", "path"}, {"required", true}, {"description", d}, {"schema", {{"type", "string"}}}};
}
Json Query(const char* name, const char* d, Json schema, bool required) {
  return {{"name", name}, {"in", "query"}, {"required", required}, {"description", d}, {"schema", schema}};
}
Json Repeated(const char* name, const char* d) {
  Json p = Query(name, d, {{"type", "array"}, {"items", {{"type", "string"}}}});
  p["style"] = "form";
  p["explode"] = true;
  return p;
}

Json Op(const char* summary, std::vector<Json> params, const std::string& body, int status,
        const std::string& response, const char* description) {
  Json op = {{"summary", summary}};
  if (description != nullptr && *description != '\0') op["description"] = description;
  if (!params.empty()) op["parameters"] = params;
  if (!body.empty()) {
    op["requestBody"] = {{"required", true}, {"content", {{"application/json", {{"schema", Ref(body)}}}}}};
  }
  op["responses"] = {{std::to_string(status),
                      {{"description", status == 201 ? "created" : "OK"},
                       {"content", {{"application/json", {{"schema", Ref(response)}}}}}}},
                     {"default", {{"$ref", "#/components/responses/Error"}}}};
  return op;
}

}  // namespace mlcost::api::oas
