#pragma once
// The process registry in the store's schema (table `registry`), fed by commits in their transaction.
// Every lookup is scoped by tenant_id: another tenant's entries are never read.
#include <memory>

#include "mako/core/process_registry.hpp"

namespace mako::postgres {

namespace detail {
class Database;
}

class PgProcessRegistry final : public mako::ProcessRegistry {
 public:
  explicit PgProcessRegistry(std::shared_ptr<detail::Database> db);  // get one from PgStore
  ~PgProcessRegistry() override;

  std::optional<ProcessIdentity> lookup(const TenantId& tenant, std::string_view kind,
                                        std::string_view key) const override;
  void register_key(const ProcessIdentity& process, const RegistryEntry& entry) override;
  std::vector<RegistryEntry> keys_of(const StreamId& stream) const override;
  std::vector<RegisteredKey> list(const RegistryQuery& query) const override;

 private:
  std::shared_ptr<detail::Database> db_;
};

}  // namespace mako::postgres
