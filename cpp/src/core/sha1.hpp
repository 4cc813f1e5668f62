#pragma once
// SHA-1 (FIPS 180-4), used only to derive UUIDv5 identifiers as RFC 9562 requires; not for security.
#include <array>
#include <cstddef>
#include <cstdint>

namespace mako::detail {

class Sha1 {
 public:
  void update(const std::uint8_t* data, std::size_t size);
  std::array<std::uint8_t, 20> finish();

 private:
  void block(const std::uint8_t* p);
  std::uint32_t h_[5] = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};
  std::uint8_t buffer_[64]{};
  std::size_t buffered_ = 0;
  std::uint64_t length_ = 0;
};

}  // namespace mako::detail
