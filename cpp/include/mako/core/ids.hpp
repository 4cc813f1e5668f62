#pragma once
// Strongly typed identifiers. All are UUIDs except StreamId, a validated string.
#include <atomic>
#include <compare>
#include <concepts>
#include <memory>
#include <string>
#include <string_view>

#include "mako/core/uuid.hpp"

namespace mako {
struct TenantTag {};
struct ProcessTag {};
struct EventTag {};
struct CorrelationTag {};
struct CausationTag {};
struct ConversationTag {};
namespace detail {
Uuid tenant_uuid_from_party_id(std::string_view market_partner_id);
Uuid correlation_uuid_from_interchange_ref(std::string_view interchange_ref);
}  // namespace detail
}  // namespace mako

namespace mako {

template <class Tag>
class TypedId {
 public:
  TypedId() : uuid_(Uuid::v4()) {}  // a fresh random id, like the Rust crate's ::new()
  explicit TypedId(Uuid uuid) : uuid_(uuid) {}
  static TypedId generate() { return TypedId(Uuid::v4()); }
  static TypedId from_uuid(Uuid uuid) { return TypedId(uuid); }
  static TypedId nil() { return TypedId(Uuid::nil()); }
  static TypedId parse(std::string_view text) { return TypedId(Uuid::parse(text)); }

  // Deterministic tenant of a market partner: UUIDv5 over its MP-ID.
  static TypedId from_party_id(std::string_view market_partner_id)
    requires std::same_as<Tag, TenantTag>
  {
    return TypedId(detail::tenant_uuid_from_party_id(market_partner_id));
  }
  // Deterministic correlation of everything caused by one interchange (its UNB reference).
  static TypedId from_interchange_ref(std::string_view interchange_ref)
    requires std::same_as<Tag, CorrelationTag>
  {
    return TypedId(detail::correlation_uuid_from_interchange_ref(interchange_ref));
  }

  const Uuid& uuid() const { return uuid_; }
  std::string to_string() const { return uuid_.to_string(); }

  friend auto operator<=>(const TypedId&, const TypedId&) = default;
  friend bool operator==(const TypedId&, const TypedId&) = default;

 private:
  Uuid uuid_;
};

namespace id_namespaces {
// Fixed namespaces of the Rust crate mako-engine 0.2.1, so that derived ids agree across both.
inline const Uuid tenant = Uuid::parse("7e4a6b1c-2d3e-5f60-8a9b-0c1d2e3f4a5b");
inline const Uuid correlation = Uuid::parse("a3c7e1f0-5b2d-4e80-9f6a-1b3c5d7e9a0b");
inline const Uuid outbox = Uuid::parse("d47a2c9e-5b31-47f2-890a-1e6c8a3d5f04");
}  // namespace id_namespaces

using TenantId = TypedId<TenantTag>;
using ProcessId = TypedId<ProcessTag>;
using EventId = TypedId<EventTag>;
using CorrelationId = TypedId<CorrelationTag>;
using CausationId = TypedId<CausationTag>;
using ConversationId = TypedId<ConversationTag>;

// The key of an event stream. Non-empty, at most 1024 bytes, no NUL or control characters.
// (Only a default-constructed placeholder is empty.)
// Immutable and shared: every envelope, batch and index entry of a stream carries its id, so copies
// only bump a reference count, and the hash is computed once.
class StreamId {
 public:
  StreamId() = default;                  // an empty placeholder, e.g. in an envelope before the store fills it in
  explicit StreamId(std::string value);  // throws EngineError(InvalidInput)
  static StreamId for_process(const TenantId& tenant, const ProcessId& process);  // process/{tenant}/{process}
  // Whether this is process/{tenant}/{process}, without building the string.
  bool is_process_stream(const TenantId& tenant, const ProcessId& process) const;

  const std::string& str() const { return rep_ ? rep_->value : empty(); }
  std::size_t hash() const noexcept;  // of str(), computed once
  friend std::strong_ordering operator<=>(const StreamId& a, const StreamId& b) { return a.str() <=> b.str(); }
  friend bool operator==(const StreamId& a, const StreamId& b) { return a.rep_ == b.rep_ || equal_text(a, b); }

 private:
  struct Rep {
    explicit Rep(std::string v) : value(std::move(v)) {}
    std::string value;
    mutable std::atomic<std::size_t> hash{0};  // 0 = not computed yet
  };
  struct Trusted {};
  StreamId(Trusted, std::string value);
  static const std::string& empty();
  static bool equal_text(const StreamId& a, const StreamId& b) noexcept;
  std::shared_ptr<const Rep> rep_;
};

}  // namespace mako

template <class Tag>
struct std::hash<mako::TypedId<Tag>> {
  std::size_t operator()(const mako::TypedId<Tag>& id) const noexcept { return std::hash<mako::Uuid>{}(id.uuid()); }
};
template <>
struct std::hash<mako::StreamId> {
  std::size_t operator()(const mako::StreamId& id) const noexcept { return id.hash(); }
};
