#pragma once
// Projection checkpoints in the store's file (table `projection_checkpoints`).
#include <memory>

#include "mako/core/checkpoint_store.hpp"

namespace mako::sqlite {

namespace detail {
class Database;
}

class SqliteCheckpointStore final : public mako::CheckpointStore {
 public:
  explicit SqliteCheckpointStore(std::shared_ptr<detail::Database> db);  // get one from SqliteStore
  ~SqliteCheckpointStore() override;

  std::uint64_t load(const std::string& name) const override;
  void save(const std::string& name, std::uint64_t position) override;

 private:
  std::shared_ptr<detail::Database> db_;
};

}  // namespace mako::sqlite
