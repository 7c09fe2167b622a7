#pragma once
// Hashes, secrets and constant-time comparison (OpenSSL underneath).
#include <string>
#include <string_view>

namespace o2c::security {

std::string sha256_hex(std::string_view data);
std::string hmac_sha256_hex(std::string_view key, std::string_view data);
// Compares without leaking where two secrets first differ.
bool constant_time_equal(std::string_view a, std::string_view b);
// `bytes` bytes from the OS CSPRNG, hex-encoded.
std::string random_hex(size_t bytes);
// A new API token: "o2c_" + 64 hex digits (256 bits). Only its sha256 is stored.
std::string new_api_token();
// scrypt (N=2^15, r=8, p=1) with a random salt: "scrypt$15$8$1$<salt>$<hash>".
std::string hash_password(std::string_view password);
bool verify_password(std::string_view password, std::string_view stored);

}  // namespace o2c::security
