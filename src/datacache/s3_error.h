// S3-style error answers (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html),
// so boto3 and the aws CLI show the proxy's refusals the way they show S3's.
#ifndef MLCOST_DATACACHE_S3_ERROR_H_
#define MLCOST_DATACACHE_S3_ERROR_H_

#include <string>

namespace mlcost::datacache {

struct S3Error {
  int http_status = 500;
  std::string code;     // "SignatureDoesNotMatch", "AccessDenied", ...
  std::string message;  // says what is wrong, in words
};

// <?xml ...?><Error><Code/><Message/><Resource/></Error>, text escaped.
std::string S3ErrorXml(const S3Error& error, const std::string& resource);

}  // namespace mlcost::datacache

#endif  // MLCOST_DATACACHE_S3_ERROR_H_
