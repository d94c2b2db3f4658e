#include "datacache/s3_error.h"

#include "s3/s3_xml.h"

namespace mlcost::datacache {

std::string S3ErrorXml(const S3Error& error, const std::string& resource) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + s3::XmlEscape(error.code) +
         "</Code><Message>" + s3::XmlEscape(error.message) + "</Message><Resource>" + s3::XmlEscape(resource) +
         "</Resource></Error>";
}

}  // namespace mlcost::datacache
