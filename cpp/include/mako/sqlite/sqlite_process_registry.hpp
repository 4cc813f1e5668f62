#pragma once
// The process registry in the store's file (table `registry`), filled by commits in their transaction.
#include <memory>

#include "mako/core/process_registry.hpp"

namespace mako::sqlite {

namespace detail {
class Database;
}

class SqliteProcessRegistry final : public mako::ProcessRegistry {
 public:
  explicit SqliteProcessRegistry(std::shared_ptr<detail::Database> db);  // get one from SqliteStore
  ~SqliteProcessRegistry() override;

  std::optional<ProcessIdentity> lookup(const TenantId& tenant, std::string_view kind,
                                        std::string_view key) const override;
  // Creates the stream's row (version 0) when the process has not committed yet.
  void register_key(const ProcessIdentity& process, const RegistryEntry& entry) override;
  // In registration order; entries of one commit by kind and key.
  std::vector<RegistryEntry> keys_of(const StreamId& stream) const override;
  std::vector<RegisteredKey> list(const RegistryQuery& query) const override;

 private:
  std::shared_ptr<detail::Database> db_;
};

}  // namespace mako::sqlite
