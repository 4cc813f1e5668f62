#include "mako/core/in_memory_inbox_store.hpp"

namespace mako {

bool InMemoryInboxStore::record_if_new(const TenantId& tenant, const std::string& key, Timestamp) {
  std::lock_guard lock(mutex_);
  return seen_.emplace(tenant, key).second;
}

bool InMemoryInboxStore::contains(const TenantId& tenant, const std::string& key) const {
  std::lock_guard lock(mutex_);
  return seen_.contains({tenant, key});
}

}  // namespace mako
