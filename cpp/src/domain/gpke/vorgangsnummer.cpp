#include "mako/domain/gpke/vorgangsnummer.hpp"

namespace mako::gpke {

std::string derive_vorgangsnummer(std::string_view sender, std::string_view request_reference, std::uint32_t pid) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  auto mix = [&](std::string_view s) {
    for (unsigned char c : s) {
      h ^= c;
      h *= 0x100000001b3ull;
    }
  };
  mix(sender);
  mix("|");
  mix(request_reference);
  mix("|");
  mix(std::to_string(pid));
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out = "GP";
  for (int shift = 60; shift >= 0; shift -= 4) out += hex[(h >> shift) & 0xF];
  return out;
}

}  // namespace mako::gpke
