#pragma once
// Dedup of received messages: a message seen before (same tenant, same key, e.g. an interchange
// reference) is dropped instead of being processed twice.
#include <string>

#include "mako/core/ids.hpp"
#include "mako/core/timestamp.hpp"

namespace mako {

class InboxStore {
 public:
  virtual ~InboxStore() = default;
  // Records the key and returns true the first time; false for a duplicate. Atomic: of racing
  // callers with the same key exactly one gets true.
  virtual bool record_if_new(const TenantId& tenant, const std::string& key, Timestamp received_at) = 0;
  virtual bool contains(const TenantId& tenant, const std::string& key) const = 0;
};

}  // namespace mako
