"""The SigV4 signer against AWS's published examples (never against values this code computed).

Sources: the AWS Signature Version 4 test suite (credentials AKIDEXAMPLE /
wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY, 20150830T123600Z, us-east-1, service "service"; the
files *.req and *.authz, e.g. as vendored in bazelbuild/bazel third_party/aws-sig-v4-test-suite),
and the S3 API reference "Signature Calculations for the Authorization Header: Transferring
Payload in a Single Chunk", example "GET Object".
"""
import pytest

from mlcost import _sigv4

SUITE_KEY = "AKIDEXAMPLE"
SUITE_SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
SUITE_DATE = "20150830T123600Z"
EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

SUITE = [
    # (name, method, path, query, published authorization header)
    ("get-vanilla-query-order-key-case", "GET", "/", [("Param2", "value2"), ("Param1", "value1")],
     "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
     "SignedHeaders=host;x-amz-date, Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"),
    ("get-vanilla-query-order-key", "GET", "/", [("Param1", "value2"), ("Param1", "Value1")],
     "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
     "SignedHeaders=host;x-amz-date, Signature=eedbc4e291e521cf13422ffca22be7d2eb8146eecf653089df300a15b2382bd1"),
    ("get-unreserved", "GET", "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", [],
     "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
     "SignedHeaders=host;x-amz-date, Signature=07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f"),
    ("get-vanilla-utf8-query", "GET", "/", [("\u1234", "bar")],
     "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
     "SignedHeaders=host;x-amz-date, Signature=2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04"),
    ("post-vanilla", "POST", "/", [],
     "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
     "SignedHeaders=host;x-amz-date, Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"),
]


@pytest.mark.parametrize("name,method,path,query,expected", SUITE, ids=[s[0] for s in SUITE])
def test_aws_sigv4_test_suite(name, method, path, query, expected):
    headers = {"Host": "example.amazonaws.com", "X-Amz-Date": SUITE_DATE}
    auth, _, _ = _sigv4.sign(method, _sigv4.uri_encode(path, True), query, headers, EMPTY, SUITE_KEY, SUITE_SECRET,
                             "us-east-1", "service", SUITE_DATE)
    assert auth == expected


def test_aws_sigv4_test_suite_intermediate_steps():
    # get-vanilla-query-order-key.creq and .sts, published with the suite.
    headers = {"Host": "example.amazonaws.com", "X-Amz-Date": SUITE_DATE}
    _, creq, sts = _sigv4.sign("GET", "/", [("Param1", "value2"), ("Param1", "Value1")], headers, EMPTY,
                               SUITE_KEY, SUITE_SECRET, "us-east-1", "service", SUITE_DATE)
    assert creq == ("GET\n/\nParam1=Value1&Param1=value2\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n"
                    "\nhost;x-amz-date\n" + EMPTY)
    assert sts == ("AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
                   "704b4cef673542d84cdff252633f065e8daeba5f168b77116f8b1bcaf3d38f89")


def test_s3_get_object_example():
    headers = {"Host": "examplebucket.s3.amazonaws.com", "Range": "bytes=0-9",
               "x-amz-content-sha256": EMPTY, "x-amz-date": "20130524T000000Z"}
    auth, creq, sts = _sigv4.sign("GET", "/test.txt", [], headers, EMPTY, "AKIAIOSFODNN7EXAMPLE",
                                  "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "us-east-1", "s3", "20130524T000000Z")
    assert creq == ("GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\n"
                    "x-amz-content-sha256:" + EMPTY + "\nx-amz-date:20130524T000000Z\n\n"
                    "host;range;x-amz-content-sha256;x-amz-date\n" + EMPTY)
    assert sts == ("AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"
                   "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972")
    assert auth.endswith("Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
    assert "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date" in auth
