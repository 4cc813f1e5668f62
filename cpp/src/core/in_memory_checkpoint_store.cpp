#include "mako/core/in_memory_checkpoint_store.hpp"

namespace mako {

std::uint64_t InMemoryCheckpointStore::load(const std::string& name) const {
  std::lock_guard lock(mutex_);
  auto it = positions_.find(name);
  return it == positions_.end() ? 0 : it->second;
}

void InMemoryCheckpointStore::save(const std::string& name, std::uint64_t position) {
  std::lock_guard lock(mutex_);
  positions_[name] = position;
}

}  // namespace mako
