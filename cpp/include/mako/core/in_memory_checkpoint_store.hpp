#pragma once
// Projection checkpoints in process memory.
#include <map>
#include <mutex>
#include <string>

#include "mako/core/checkpoint_store.hpp"

namespace mako {

class InMemoryCheckpointStore final : public CheckpointStore {
 public:
  std::uint64_t load(const std::string& name) const override;
  void save(const std::string& name, std::uint64_t position) override;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::uint64_t, std::less<>> positions_;
};

}  // namespace mako
