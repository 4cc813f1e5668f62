#pragma once
// Inbox dedup keys in the store's file (table `inbox`).
#include <memory>

#include "mako/core/inbox_store.hpp"

namespace mako::sqlite {

namespace detail {
class Database;
}

class SqliteInboxStore final : public mako::InboxStore {
 public:
  explicit SqliteInboxStore(std::shared_ptr<detail::Database> db);  // get one from SqliteStore
  ~SqliteInboxStore() override;

  // The table's primary key is one text column, so the tenant is part of it: "{tenant}/{key}".
  bool record_if_new(const TenantId& tenant, const std::string& key, Timestamp received_at) override;
  bool contains(const TenantId& tenant, const std::string& key) const override;

 private:
  std::shared_ptr<detail::Database> db_;
};

}  // namespace mako::sqlite
