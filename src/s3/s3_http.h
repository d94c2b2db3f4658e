// The HTTP pieces every S3 request shares, used by S3Client and by the data cache's upstream
// client (datacache/upstream_client.cc): the Host header that is signed, the canonical query
// string that is sent, and the cpp-httplib client settings.
#ifndef MLCOST_S3_S3_HTTP_H_
#define MLCOST_S3_S3_HTTP_H_

#include <httplib.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "s3/s3_config.h"

namespace mlcost::s3 {

// The Host header exactly as cpp-httplib writes it for `endpoint` ("http[s]://host[:port]"):
// the host and port, without the port when it is the scheme's default (80, 443), so that what is
// signed is what is sent.
std::string HostHeaderFor(const std::string& endpoint);

// "?k1=v1&k2=v2" with names and values UriEncoded (slashes too), in the given order; "" for none.
std::string EncodeQuery(const std::vector<std::pair<std::string, std::string>>& query);

// A client for config.endpoint that sends paths as given (no re-encoding), trusts
// config.ca_bundle when set, and times out after 10 s connecting and 300 s reading or writing.
std::unique_ptr<httplib::Client> MakeHttpClient(const S3Config& config);

}  // namespace mlcost::s3

#endif  // MLCOST_S3_S3_HTTP_H_
