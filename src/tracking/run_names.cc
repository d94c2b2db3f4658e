#include "tracking/run_names.h"

#include <array>
#include <random>

namespace mlcost::tracking {
namespace {

std::mt19937_64& Rng() {
  thread_local std::mt19937_64 rng(std::random_device{}());
  return rng;
}

constexpr std::array<const char*, 24> kAdjectives = {
    "agile", "amazing", "bold", "brave", "bright", "calm", "clean", "clever", "crisp", "dapper", "eager", "fair",
    "gentle", "honest", "jolly", "keen", "lucky", "merry", "nimble", "polite", "quiet", "rare", "sleek", "witty"};
constexpr std::array<const char*, 24> kNouns = {
    "ant", "bass", "bear", "cat", "colt", "crab", "deer", "doe", "eel", "finch", "fox", "gnat",
    "hare", "hawk", "jay", "koi", "lark", "mole", "newt", "owl", "ram", "seal", "toad", "wolf"};

}  // namespace

std::string GenerateRunName() {
  auto& rng = Rng();
  return std::string(kAdjectives[rng() % kAdjectives.size()]) + "-" + kNouns[rng() % kNouns.size()] + "-" +
         std::to_string(rng() % 1000);
}

std::string GenerateRunId() {
  static constexpr char kHex[] = "0123456789abcdef";
  auto& rng = Rng();
  std::string id(32, '0');
  uint64_t a = rng(), b = rng();
  for (int i = 0; i < 16; ++i) {
    id[i] = kHex[(a >> (i * 4)) & 0xF];
    id[16 + i] = kHex[(b >> (i * 4)) & 0xF];
  }
  id[12] = '4';                               // UUID version 4
  id[16] = kHex[8 + ((b >> 2) & 0x3)];        // RFC 4122 variant
  return id;
}

}  // namespace mlcost::tracking
