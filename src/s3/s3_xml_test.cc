#include "s3/s3_xml.h"

#include <gtest/gtest.h>

namespace mlcost::s3 {
namespace {

TEST(S3XmlTest, ReadsAnS3ErrorBody) {
  const std::string body =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchKey</Code>"
      "<Message>The specified key does not exist.</Message><Key>a&amp;b</Key></Error>";
  EXPECT_EQ(XmlText(body, "Code"), "NoSuchKey");
  EXPECT_EQ(XmlText(body, "Message"), "The specified key does not exist.");
  EXPECT_EQ(XmlText(body, "Key"), "a&b");
  EXPECT_EQ(XmlText(body, "Missing"), "");
}

TEST(S3XmlTest, ElementsInOrderAndExactTagNames) {
  const std::string page =
      "<ListBucketResult xmlns=\"x\"><KeyCount>2</KeyCount><Contents><Key>a</Key><Size>1</Size></Contents>"
      "<Contents><Key>b</Key><Size>22</Size></Contents><IsTruncated>false</IsTruncated></ListBucketResult>";
  auto contents = XmlElements(page, "Contents");
  ASSERT_EQ(contents.size(), 2u);
  EXPECT_EQ(XmlText(contents[0], "Key"), "a");
  EXPECT_EQ(XmlText(contents[1], "Size"), "22");
  EXPECT_EQ(XmlText(page, "Key"), "a");  // not <KeyCount>
}

TEST(S3XmlTest, UnescapesEntitiesAndCharacterReferences) {
  EXPECT_EQ(XmlUnescape("&lt;&gt;&quot;&apos;&amp;&#65;&#x42;&#xE9;"), "<>\"'&AB\xC3\xA9");
  EXPECT_EQ(XmlUnescape("a & b"), "a & b");
  EXPECT_EQ(XmlEscape("\"a\"<&>"), "&quot;a&quot;&lt;&amp;&gt;");
}

}  // namespace
}  // namespace mlcost::s3
