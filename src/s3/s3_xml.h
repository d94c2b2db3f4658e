// The few pieces of S3's XML responses the client reads: error bodies, ListObjectsV2 pages,
// InitiateMultipartUpload. Not a general XML parser: elements are found by exact tag name
// without attributes, which is how S3 writes these responses.
#ifndef MLCOST_S3_S3_XML_H_
#define MLCOST_S3_S3_XML_H_

#include <string>
#include <string_view>
#include <vector>

namespace mlcost::s3 {

// The raw inner text of every <tag>...</tag> in `xml`, in order (not unescaped).
std::vector<std::string_view> XmlElements(std::string_view xml, std::string_view tag);

// The unescaped text of the first <tag>...</tag>, or "" when there is none.
std::string XmlText(std::string_view xml, std::string_view tag);

// Replaces the five predefined entities and numeric character references.
std::string XmlUnescape(std::string_view text);

// Escapes & < > " ' for element text.
std::string XmlEscape(std::string_view text);

}  // namespace mlcost::s3

#endif  // MLCOST_S3_S3_XML_H_
