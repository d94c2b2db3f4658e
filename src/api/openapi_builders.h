// Small builders for the /api/v1 OpenAPI document, shared by openapi*.cc: schema pieces (Str,
// Money, Object, ...), parameters (PathParam, Query, Repeated) and operations (Op).
#ifndef MLCOST_API_OPENAPI_BUILDERS_H_
#define MLCOST_API_OPENAPI_BUILDERS_H_

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace mlcost::api::oas {

using Json = nlohmann::json;

// {"$ref": "#/components/schemas/NAME"} / "#/components/parameters/NAME".
Json Ref(std::string_view name);
Json ParamRef(std::string_view name);

Json Str(const char* description);
Json Time(const char* description);   // date-time string
Json Int(const char* description);    // int64
Json Bool(const char* description);
Json Money(const char* description);  // exact decimal string
Json Nullable(Json schema);
Json Array(Json items);
Json Object(Json properties, const std::vector<std::string>& required = {});
Json Enum(const std::vector<std::string>& values, const char* description = "");
Json StringMap(const char* description);

Json PathParam(const char* name, const char* description);
Json Query(const char* name, const char* description, Json schema = {{"type", "string"}}, bool required = false);
// A query parameter that may repeat (?k=a&k=b).
Json Repeated(const char* name, const char* description);

// One operation. `body` names a request schema ("" = none); `status` is the success status;
// `description` is added when not empty.
Json Op(const char* summary, std::vector<Json> params, const std::string& body, int status,
        const std::string& response, const char* description = "");

}  // namespace mlcost::api::oas

#endif  // MLCOST_API_OPENAPI_BUILDERS_H_
