#include "mako/core/ids.hpp"

#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <unordered_map>

#include "mako/core/errors.hpp"

namespace mako {

Uuid detail::tenant_uuid_from_party_id(std::string_view market_partner_id) {
  // A market has few partners and every inbound message names some: remember their SHA-1 based ids
  // (per thread, no locking; bounded, starting over when full).
  thread_local std::unordered_map<std::string, Uuid> known;
  if (auto it = known.find(std::string(market_partner_id)); it != known.end()) return it->second;
  if (known.size() >= 4096) known.clear();
  const Uuid id = Uuid::v5(id_namespaces::tenant, market_partner_id);
  known.emplace(std::string(market_partner_id), id);
  return id;
}

Uuid detail::correlation_uuid_from_interchange_ref(std::string_view interchange_ref) {
  return Uuid::v5(id_namespaces::correlation, interchange_ref);
}

StreamId::StreamId(Trusted, std::string value) : rep_(std::make_shared<const Rep>(std::move(value))) {}

const std::string& StreamId::empty() {
  static const std::string none;
  return none;
}

namespace {
// 8 bytes per step, then a full avalanche (splitmix64's finaliser): stream ids are long and share
// long prefixes ("process/{tenant}/"), so a cheap per-word step matters more than anything else.
std::uint64_t hash_text(std::string_view s) noexcept {
  std::uint64_t h = 0x9E3779B97F4A7C15ULL ^ s.size();
  const char* p = s.data();
  std::size_t n = s.size();
  for (; n >= 8; p += 8, n -= 8) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    h = std::rotl((h ^ w) * 0xBF58476D1CE4E5B9ULL, 29);
  }
  std::uint64_t tail = 0;
  if (n > 0) std::memcpy(&tail, p, n);
  h ^= tail;
  h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9ULL;
  h = (h ^ (h >> 27)) * 0x94D049BB133111EBULL;
  return h ^ (h >> 31);
}
}  // namespace

std::size_t StreamId::hash() const noexcept {
  if (!rep_) return static_cast<std::size_t>(hash_text({}) | 1);
  std::size_t h = rep_->hash.load(std::memory_order_relaxed);
  if (h == 0) {
    // Racing threads compute the same value; 0 stays reserved for "not computed".
    h = static_cast<std::size_t>(hash_text(rep_->value) | 1);
    rep_->hash.store(h, std::memory_order_relaxed);
  }
  return h;
}

bool StreamId::equal_text(const StreamId& a, const StreamId& b) noexcept {
  if (a.rep_ && b.rep_) {
    // Different known hashes settle it without touching the text (hash tables compare a lot).
    const std::size_t ha = a.rep_->hash.load(std::memory_order_relaxed),
                      hb = b.rep_->hash.load(std::memory_order_relaxed);
    if (ha != 0 && hb != 0 && ha != hb) return false;
  }
  return a.str() == b.str();
}

namespace {
// Whether `s` holds no byte below 0x20 and no 0x7F, eight bytes per step: every stream id read
// back from a store is checked, and they are ~80 bytes long.
bool printable(std::string_view s) noexcept {
  constexpr std::uint64_t k01 = 0x0101010101010101u, k80 = 0x8080808080808080u;
  std::size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    // Bytes below 0x20 (those below 0x80 only: a byte >= 0x80 is fine), and bytes equal to 0x7F.
    const std::uint64_t low = (w - k01 * 0x20) & ~w & k80;
    const std::uint64_t x = w ^ (k01 * 0x7F);
    const std::uint64_t del = (x - k01) & ~x & k80;
    if ((low | del) != 0) return false;
  }
  for (; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7F) return false;
  }
  return true;
}
}  // namespace

StreamId::StreamId(std::string value) {
  if (value.empty()) throw EngineError::invalid_input("stream id must not be empty");
  if (value.size() > 1024)
    throw EngineError::invalid_input("stream id is " + std::to_string(value.size()) + " bytes long; the limit is 1024");
  // The byte loop below names the offending byte; it runs only when there is one.
  for (std::size_t i = printable(value) ? value.size() : 0; i < value.size(); ++i) {
    auto c = static_cast<unsigned char>(value[i]);
    if (c == 0) throw EngineError::invalid_input("stream id contains a NUL byte at offset " + std::to_string(i));
    if (c < 0x20 || c == 0x7F)
      throw EngineError::invalid_input("stream id contains control character 0x" + std::to_string(c) + " at offset " +
                                       std::to_string(i));
  }
  rep_ = std::make_shared<const Rep>(std::move(value));
}

StreamId StreamId::for_process(const TenantId& tenant, const ProcessId& process) {
  std::string s = "process/";
  s.resize(8 + 36 + 1 + 36);
  tenant.uuid().write_to(s.data() + 8);
  s[44] = '/';
  process.uuid().write_to(s.data() + 45);
  return StreamId(Trusted{}, std::move(s));  // valid by construction: no need to re-check
}

bool StreamId::is_process_stream(const TenantId& tenant, const ProcessId& process) const {
  const std::string& s = str();
  if (s.size() != 81 || s.compare(0, 8, "process/") != 0 || s[44] != '/') return false;
  char buf[36];
  tenant.uuid().write_to(buf);
  if (s.compare(8, 36, buf, 36) != 0) return false;
  process.uuid().write_to(buf);
  return s.compare(45, 36, buf, 36) == 0;
}

}  // namespace mako
