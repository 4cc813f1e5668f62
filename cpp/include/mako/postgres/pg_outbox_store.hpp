#pragma once
// The outbox in the store's schema (table `outbox`), filled by commits in their transaction. Shared by
// every instance on the database: claim_due leases rows with FOR UPDATE SKIP LOCKED (docs/postgresql.md).
#include <memory>

#include "mako/core/outbox_store.hpp"

namespace mako::postgres {

namespace detail {
class Database;
}

class PgOutboxStore final : public mako::OutboxStore {
 public:
  explicit PgOutboxStore(std::shared_ptr<detail::Database> db);  // get one from PgStore
  ~PgOutboxStore() override;

  std::vector<OutboxItem> claim_due(Timestamp now, std::size_t limit,
                                    std::chrono::nanoseconds lease = kDefaultClaimLease) override;
  bool mark_delivered(const std::string& key, Timestamp at) override;
  bool mark_failed(const std::string& key, const std::string& error, Timestamp next_attempt_at) override;
  bool dead_letter(const std::string& key, const std::string& reason, Timestamp at) override;
  std::vector<OutboxItem> dead_letters() const override;
  std::size_t pending_count() const override;
  std::optional<OutboxItem> find(const std::string& key) const override;

 private:
  std::shared_ptr<detail::Database> db_;
};

}  // namespace mako::postgres
