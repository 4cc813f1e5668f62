#pragma once
// Projection checkpoints in the store's schema (table `projection_checkpoints`).
#include <cstdint>
#include <memory>

#include "mako/core/checkpoint_store.hpp"

namespace mako::postgres {

namespace detail {
class Database;
}

class PgCheckpointStore final : public mako::CheckpointStore {
 public:
  explicit PgCheckpointStore(std::shared_ptr<detail::Database> db);  // get one from PgStore
  ~PgCheckpointStore() override;

  std::uint64_t load(const std::string& name) const override;
  void save(const std::string& name, std::uint64_t position) override;

 private:
  std::shared_ptr<detail::Database> db_;
};

}  // namespace mako::postgres
