#include "mako/core/in_memory_process_registry.hpp"

#include <algorithm>
#include <mutex>
#include <tuple>

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
  register_key(process, entry, system_now());
}

void InMemoryProcessRegistry::register_key(const ProcessIdentity& process, const RegistryEntry& entry, Timestamp now) {
  if (entry.kind.empty() || entry.key.empty())
    throw EngineError::invalid_input("a registry entry needs a kind and a key");
  std::unique_lock lock(mutex_);
  auto& processes = entries_[std::make_tuple(process.tenant_id, entry.kind, entry.key)];
  if (std::find(processes.begin(), processes.end(), process) != processes.end()) return;
  processes.push_back(process);
  by_stream_[process.stream_id.str()].push_back(entry);
  stream_order_.try_emplace(process.stream_id.str(), stream_order_.size());
  registered_.push_back(RegisteredKey{process.stream_id, process, entry, now});
}

std::vector<RegisteredKey> InMemoryProcessRegistry::list(const RegistryQuery& query) const {
  const auto admits = [](const auto& allowed, const auto& value) {
    return allowed.empty() || std::find(allowed.begin(), allowed.end(), value) != allowed.end();
  };
  std::shared_lock lock(mutex_);
  std::vector<RegisteredKey> out;
  for (const auto& r : registered_)
    if (admits(query.tenants, r.process->tenant_id) && admits(query.processes, r.process->process_id)) out.push_back(r);
  const auto order = [&](const RegisteredKey& r) {
    return std::tie(r.created_at, stream_order_.at(r.stream_id.str()), r.entry.kind, r.entry.key);
  };
  std::stable_sort(out.begin(), out.end(),
                   [&](const RegisteredKey& a, const RegisteredKey& b) { return order(a) < order(b); });
  return out;
}

std::vector<RegistryEntry> InMemoryProcessRegistry::keys_of(const StreamId& stream) const {
  std::shared_lock lock(mutex_);
  auto it = by_stream_.find(stream.str());
  return it == by_stream_.end() ? std::vector<RegistryEntry>{} : it->second;
}

}  // namespace mako
