#pragma once
// The process registry in process memory; InMemoryEventStore registers the entries of its commits here.
#include <map>
#include <shared_mutex>
#include <string>
#include <tuple>
#include <vector>

#include "mako/core/process_registry.hpp"

namespace mako {

class InMemoryProcessRegistry final : public ProcessRegistry {
 public:
  std::optional<ProcessIdentity> lookup(const TenantId& tenant, std::string_view kind,
                                        std::string_view key) const override;
  void register_key(const ProcessIdentity& process, const RegistryEntry& entry) override;
  // The same, registered at `now` (InMemoryEventStore: one instant for a commit's entries).
  void register_key(const ProcessIdentity& process, const RegistryEntry& entry, Timestamp now);
  std::vector<RegistryEntry> keys_of(const StreamId& stream) const override;
  std::vector<RegisteredKey> list(const RegistryQuery& query) const override;

 private:
  mutable std::shared_mutex mutex_;
  // (tenant, kind, key) -> processes in registration order; the last one answers lookups.
  std::map<std::tuple<TenantId, std::string, std::string>, std::vector<ProcessIdentity>, std::less<>> entries_;
  std::map<std::string, std::vector<RegistryEntry>, std::less<>> by_stream_;
  std::vector<RegisteredKey> registered_;                         // in registration order
  std::map<std::string, std::size_t, std::less<>> stream_order_;  // stream -> order of its first entry
};

}  // namespace mako
