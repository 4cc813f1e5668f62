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

namespace mako {

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
};

}  // namespace mako
