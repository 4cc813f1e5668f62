#pragma once
// Inbox dedup keys in process memory.
#include <mutex>
#include <set>
#include <string>
#include <utility>

#include "mako/core/inbox_store.hpp"

namespace mako {

class InMemoryInboxStore final : public InboxStore {
 public:
  bool record_if_new(const TenantId& tenant, const std::string& key, Timestamp received_at) override;
  bool contains(const TenantId& tenant, const std::string& key) const override;

 private:
  mutable std::mutex mutex_;
  std::set<std::pair<TenantId, std::string>> seen_;
};

}  // namespace mako
