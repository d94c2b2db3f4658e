#include "cli/demo_bill.h"

#include <filesystem>
#include <fstream>

#include "common/time_util.h"

namespace mlcost::cli {
namespace {

constexpr int kDays = 60;
constexpr int kSpikeDaysAgo = 12;  // SageMaker triples that day
constexpr int64_t kMicrosPerDay = int64_t{86400} * 1'000'000;

struct Line {
  const char* service;
  const char* category;
  const char* resource;  // "" = none
  const char* tags;      // FOCUS JSON, CSV-quoted by the writer
  int64_t daily_cents;   // weekday cost in 1/100 cents (4 decimals)
  bool weekday_pattern;  // weekends cost 60 %
};

const Line kLines[] = {
    {"Amazon Elastic Compute Cloud", "Compute", "i-0demo5vision1gpu",
     R"({"team": "vision", "project": "image-classifier", "user": "alice"})", 734400, false},  // p3.2xlarge 24 h
    {"Amazon SageMaker", "AI and Machine Learning", "arn:aws:sagemaker:us-east-1:111122223333:training-job/llm-ft",
     R"({"team": "llm", "project": "support-chatbot", "user": "carol"})", 2000000, true},
    {"Amazon Simple Storage Service", "Storage", "demo-datasets", R"({"team": "vision"})", 125000, false},
    {"AWS Data Transfer", "Networking", "", "{}", 32000, true},
};

std::string Amount(int64_t units) {  // units of 0.0001
  std::string frac = std::to_string(units % 10000);
  return std::to_string(units / 10000) + "." + std::string(4 - frac.size(), '0') + frac;
}

std::string Quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string MonthStart(Micros day) {
  std::string iso = FormatIso8601(day);  // YYYY-MM-DDT...
  return iso.substr(0, 8) + "01T00:00:00Z";
}

std::string NextMonthStart(Micros day) {
  std::string iso = FormatIso8601(day);
  int year = std::stoi(iso.substr(0, 4));
  int month = std::stoi(iso.substr(5, 2)) + 1;
  if (month == 13) {
    month = 1;
    ++year;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-01T00:00:00Z", year, month);
  return buf;
}

}  // namespace

Result<std::string> WriteDemoBill(const std::string& dir, int64_t now_ms) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  std::string path = std::filesystem::absolute(std::filesystem::path(dir) / "demo-focus-bill.csv", ec).string();
  std::ofstream out(path);
  if (!out) return Internal("cannot write the demo bill " + path);
  out << "BillingAccountId,BillingAccountName,BillingPeriodStart,BillingPeriodEnd,ChargePeriodStart,"
         "ChargePeriodEnd,ChargeCategory,ChargeFrequency,BilledCost,EffectiveCost,ListCost,ContractedCost,"
         "BillingCurrency,ProviderName,PublisherName,InvoiceIssuerName,ServiceName,ServiceCategory,RegionId,"
         "ResourceId,SubAccountId,PricingCategory,Tags\n";
  Micros today = (now_ms * 1000 / kMicrosPerDay) * kMicrosPerDay;
  for (int ago = kDays; ago >= 1; --ago) {
    Micros day = today - ago * kMicrosPerDay;
    int64_t weekday = ((day / kMicrosPerDay) + 4) % 7;  // 1970-01-01 was a Thursday; 0 = Sunday
    bool weekend = weekday == 0 || weekday == 6;
    for (const Line& line : kLines) {
      int64_t cents = line.daily_cents;
      if (line.weekday_pattern && weekend) cents = cents * 6 / 10;
      if (ago == kSpikeDaysAgo && std::string_view(line.service) == "Amazon SageMaker") cents *= 3;
      cents += (ago * 37 % 11) * 100;  // a little day-to-day noise, still exact
      std::string amount = Amount(cents);
      out << "111122223333,demo-payer," << MonthStart(day) << "," << NextMonthStart(day) << ","
          << FormatIso8601(day) << "," << FormatIso8601(day + kMicrosPerDay) << ",Usage,Usage-Based," << amount
          << "," << amount << "," << amount << "," << amount << ",USD,AWS,AWS,AWS," << line.service << ","
          << line.category << ",us-east-1," << line.resource << ",111122223333,Standard," << Quote(line.tags)
          << "\n";
    }
  }
  out.close();
  if (!out) return Internal("cannot write the demo bill " + path);
  return path;
}

}  // namespace mlcost::cli
