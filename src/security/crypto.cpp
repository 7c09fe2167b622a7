#include "security/crypto.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <array>
#include <stdexcept>
#include <vector>

namespace o2c::security {
namespace {

std::string to_hex(const unsigned char* p, size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(n * 2, '0');
  for (size_t i = 0; i < n; ++i) {
    out[2 * i] = kDigits[p[i] >> 4];
    out[2 * i + 1] = kDigits[p[i] & 0xF];
  }
  return out;
}

bool from_hex(std::string_view hex, std::vector<unsigned char>* out) {
  if (hex.size() % 2 != 0) return false;
  out->clear();
  for (size_t i = 0; i < hex.size(); i += 2) {
    auto nib = [](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      return -1;
    };
    int hi = nib(hex[i]), lo = nib(hex[i + 1]);
    if (hi < 0 || lo < 0) return false;
    out->push_back(static_cast<unsigned char>(hi * 16 + lo));
  }
  return true;
}

constexpr uint64_t kScryptLogN = 15;
constexpr uint64_t kScryptR = 8;
constexpr uint64_t kScryptP = 1;
constexpr size_t kScryptKeyBytes = 32;
// N * r * 128 bytes of memory = 32 MiB at the defaults; OpenSSL's default cap is lower.
constexpr uint64_t kScryptMaxMem = 64ull * 1024 * 1024;

bool scrypt(std::string_view password, const std::vector<unsigned char>& salt, uint64_t log_n,
            uint64_t r, uint64_t p, unsigned char* out) {
  if (log_n > 20 || r > 16 || p > 4) return false;  // refuse stored parameters that would exhaust memory
  return EVP_PBE_scrypt(password.data(), password.size(), salt.data(), salt.size(),
                        uint64_t{1} << log_n, r, p, kScryptMaxMem, out, kScryptKeyBytes) == 1;
}

}  // namespace

std::string sha256_hex(std::string_view data) {
  std::array<unsigned char, SHA256_DIGEST_LENGTH> md{};
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), md.data());
  return to_hex(md.data(), md.size());
}

std::string hmac_sha256_hex(std::string_view key, std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int len = 0;
  // OpenSSL refuses a null key pointer, which an empty string_view may carry.
  static const unsigned char kEmpty[1] = {0};
  const void* key_ptr = key.empty() ? kEmpty : static_cast<const void*>(key.data());
  const auto* msg = data.empty() ? kEmpty : reinterpret_cast<const unsigned char*>(data.data());
  if (!HMAC(EVP_sha256(), key_ptr, static_cast<int>(key.size()), msg, data.size(), md.data(), &len)) {
    throw std::runtime_error("HMAC-SHA256 failed");
  }
  return to_hex(md.data(), len);
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string random_hex(size_t bytes) {
  std::vector<unsigned char> buf(bytes);
  if (RAND_bytes(buf.data(), static_cast<int>(buf.size())) != 1) {
    throw std::runtime_error("the OS random generator failed");
  }
  return to_hex(buf.data(), buf.size());
}

std::string new_api_token() { return "o2c_" + random_hex(32); }

std::string hash_password(std::string_view password) {
  std::vector<unsigned char> salt;
  from_hex(random_hex(16), &salt);
  std::array<unsigned char, kScryptKeyBytes> key{};
  if (!scrypt(password, salt, kScryptLogN, kScryptR, kScryptP, key.data())) {
    throw std::runtime_error("scrypt failed");
  }
  return "scrypt$" + std::to_string(kScryptLogN) + "$" + std::to_string(kScryptR) + "$" +
         std::to_string(kScryptP) + "$" + to_hex(salt.data(), salt.size()) + "$" +
         to_hex(key.data(), key.size());
}

bool verify_password(std::string_view password, std::string_view stored) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t pos = stored.find('$', start);
    parts.push_back(stored.substr(start, pos == std::string_view::npos ? pos : pos - start));
    if (pos == std::string_view::npos) break;
    start = pos + 1;
  }
  if (parts.size() != 6 || parts[0] != "scrypt") return false;
  uint64_t nums[3];
  for (int i = 0; i < 3; ++i) {
    try {
      nums[i] = std::stoull(std::string(parts[1 + i]));
    } catch (...) {
      return false;
    }
  }
  std::vector<unsigned char> salt, expected;
  if (!from_hex(parts[4], &salt) || !from_hex(parts[5], &expected) ||
      expected.size() != kScryptKeyBytes) {
    return false;
  }
  std::array<unsigned char, kScryptKeyBytes> key{};
  if (!scrypt(password, salt, nums[0], nums[1], nums[2], key.data())) return false;
  return CRYPTO_memcmp(key.data(), expected.data(), kScryptKeyBytes) == 0;
}

}  // namespace o2c::security
