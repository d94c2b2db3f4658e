#include "s3/sigv4_signer.h"

#include <algorithm>
#include <ctime>

#include "common/ascii.h"

namespace mlcost::s3 {
namespace {

// Trims and collapses sequential spaces to one, as the canonical header value requires.
std::string CanonicalValue(std::string_view v) {
  std::string out;
  bool space = false;
  for (char c : v) {
    if (c == ' ' || c == '\t') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

std::string AsString(const Sha256Digest& d) {
  return std::string(reinterpret_cast<const char*>(d.data()), d.size());
}

}  // namespace

std::string UriEncode(std::string_view text, bool encode_slash) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '_' || c == '.' || c == '~';
    if (unreserved || (c == '/' && !encode_slash)) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xf]);
    }
  }
  return out;
}

std::string AmzDate(Micros t) {
  std::time_t secs = static_cast<std::time_t>(t / kMicrosPerSecond);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

SigV4Signer::SigV4Signer(SigV4Credentials credentials, std::string region, std::string service)
    : credentials_(std::move(credentials)), region_(std::move(region)), service_(std::move(service)) {}

std::string SigV4Signer::CanonicalRequest(const SigV4Request& request, std::string* signed_headers) {
  std::vector<std::pair<std::string, std::string>> query;
  for (const auto& [k, v] : request.query) query.emplace_back(UriEncode(k, true), UriEncode(v, true));
  std::sort(query.begin(), query.end());
  std::string canonical_query;
  for (const auto& [k, v] : query) {
    if (!canonical_query.empty()) canonical_query += '&';
    canonical_query += k + "=" + v;
  }
  // Headers with one name are joined with ',' in their given order.
  std::vector<std::pair<std::string, std::string>> headers;
  for (const auto& [k, v] : request.headers) {
    std::string name = AsciiLower(k);
    auto it = std::find_if(headers.begin(), headers.end(), [&](const auto& h) { return h.first == name; });
    if (it == headers.end()) {
      headers.emplace_back(name, CanonicalValue(v));
    } else {
      it->second += "," + CanonicalValue(v);
    }
  }
  std::stable_sort(headers.begin(), headers.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string canonical_headers;
  std::string names;
  for (const auto& [k, v] : headers) {
    canonical_headers += k + ":" + v + "\n";
    if (!names.empty()) names += ';';
    names += k;
  }
  if (signed_headers != nullptr) *signed_headers = names;
  return request.method + "\n" + request.path + "\n" + canonical_query + "\n" + canonical_headers + "\n" +
         names + "\n" + request.payload_sha256;
}

std::string SigV4Signer::Scope(const std::string& date) const {
  return date + "/" + region_ + "/" + service_ + "/aws4_request";
}

std::string SigV4Signer::StringToSign(const std::string& canonical_request,
                                      const std::string& amz_date) const {
  return "AWS4-HMAC-SHA256\n" + amz_date + "\n" + Scope(amz_date.substr(0, 8)) + "\n" +
         Sha256Hex(canonical_request);
}

Sha256Digest SigV4Signer::SigningKey(const std::string& date) const {
  Sha256Digest k_date = HmacSha256("AWS4" + credentials_.secret_key, date);
  Sha256Digest k_region = HmacSha256(AsString(k_date), region_);
  Sha256Digest k_service = HmacSha256(AsString(k_region), service_);
  return HmacSha256(AsString(k_service), "aws4_request");
}

std::string SigV4Signer::Authorization(const SigV4Request& request, const std::string& amz_date) const {
  std::string signed_headers;
  std::string canonical = CanonicalRequest(request, &signed_headers);
  std::string to_sign = StringToSign(canonical, amz_date);
  std::string signature = HexLower(HmacSha256(AsString(SigningKey(amz_date.substr(0, 8))), to_sign));
  return "AWS4-HMAC-SHA256 Credential=" + credentials_.access_key + "/" + Scope(amz_date.substr(0, 8)) +
         ", SignedHeaders=" + signed_headers + ", Signature=" + signature;
}

std::vector<std::pair<std::string, std::string>> SigV4Signer::Sign(const SigV4Request& request,
                                                                   const std::string& amz_date) const {
  std::vector<std::pair<std::string, std::string>> added;
  added.emplace_back("x-amz-date", amz_date);
  if (!credentials_.session_token.empty())
    added.emplace_back("x-amz-security-token", credentials_.session_token);
  if (service_ == "s3") added.emplace_back("x-amz-content-sha256", request.payload_sha256);
  SigV4Request full = request;
  for (const auto& h : added) full.headers.push_back(h);
  added.emplace_back("Authorization", Authorization(full, amz_date));
  return added;
}

}  // namespace mlcost::s3
