#pragma once
// Finds processes by tenant-scoped keys: routing keys (e.g. kind "malo" + a MaLo-ID) and
// correlation tags (e.g. kind "vorgang" + a transaction number an answer will quote). Commits add
// entries through CommitBatch::registrations, pointing at the committing stream's process.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mako/core/outbound_message.hpp"
#include "mako/core/process_identity.hpp"
#include "mako/core/timestamp.hpp"

namespace mako {

// An entry as the history lists it: whose it is and since when.
struct RegisteredKey {
  StreamId stream_id;
  std::optional<ProcessIdentity> process;  // the stream's identity (a registration gives it one)
  RegistryEntry entry;
  Timestamp created_at{};  // wall clock of the commit (or register_key call) that registered it
};

// Which entries list() returns: of the processes with one of these tenants and one of these process
// ids (an empty list matches every one).
struct RegistryQuery {
  std::vector<TenantId> tenants;
  std::vector<ProcessId> processes;
};

class ProcessRegistry {
 public:
  virtual ~ProcessRegistry() = default;

  // The process registered under (tenant, kind, key); the most recently registered one when
  // several processes share the key. Another tenant's entries are never visible.
  virtual std::optional<ProcessIdentity> lookup(const TenantId& tenant, std::string_view kind,
                                                std::string_view key) const = 0;
  // Registers a key outside a command (the tenant is the process's). Registering it again is a no-op.
  virtual void register_key(const ProcessIdentity& process, const RegistryEntry& entry) = 0;
  // The keys registered for a stream, in registration order.
  virtual std::vector<RegistryEntry> keys_of(const StreamId& stream) const = 0;
  // Every entry the query admits, by registration time; the entries of one instant (one commit, or
  // one append_many call) by stream (in the order the store first wrote them), kind, key.
  virtual std::vector<RegisteredKey> list(const RegistryQuery& query) const = 0;
};

}  // namespace mako
