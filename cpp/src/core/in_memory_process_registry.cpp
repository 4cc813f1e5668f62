#include "mako/core/in_memory_process_registry.hpp"

#include <algorithm>
#include <mutex>

#include "mako/core/errors.hpp"

namespace mako {

std::optional<ProcessIdentity> InMemoryProcessRegistry::lookup(const TenantId& tenant, std::string_view kind,
                                                               std::string_view key) const {
  std::shared_lock lock(mutex_);
  auto it = entries_.find(std::make_tuple(tenant, std::string(kind), std::string(key)));
  if (it == entries_.end() || it->second.empty()) return std::nullopt;
  return it->second.back();
}

void InMemoryProcessRegistry::register_key(const ProcessIdentity& process, const RegistryEntry& entry) {
  if (entry.kind.empty() || entry.key.empty())
    throw EngineError::invalid_input("a registry entry needs a kind and a key");
  std::unique_lock lock(mutex_);
  auto& processes = entries_[std::make_tuple(process.tenant_id, entry.kind, entry.key)];
  if (std::find(processes.begin(), processes.end(), process) != processes.end()) return;
  processes.push_back(process);
  by_stream_[process.stream_id.str()].push_back(entry);
}

std::vector<RegistryEntry> InMemoryProcessRegistry::keys_of(const StreamId& stream) const {
  std::shared_lock lock(mutex_);
  auto it = by_stream_.find(stream.str());
  return it == by_stream_.end() ? std::vector<RegistryEntry>{} : it->second;
}

}  // namespace mako
