#pragma once
// Inbox dedup in the store's schema (table `inbox`, keyed by (tenant_id, key)). A mark made inside a
// unit of work commits or rolls back with it.
#include <memory>

#include "mako/core/inbox_store.hpp"

namespace mako::postgres {

namespace detail {
class Database;
}

class PgInboxStore final : public mako::InboxStore {
 public:
  explicit PgInboxStore(std::shared_ptr<detail::Database> db);  // get one from PgStore
  ~PgInboxStore() override;

  bool record_if_new(const TenantId& tenant, const std::string& key, Timestamp received_at) override;
  bool contains(const TenantId& tenant, const std::string& key) const override;

 private:
  std::shared_ptr<detail::Database> db_;
};

}  // namespace mako::postgres
