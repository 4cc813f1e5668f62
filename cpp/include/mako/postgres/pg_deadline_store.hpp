#pragma once
// Deadlines in the store's schema (table `deadlines`), written by commits in their transaction. Shared
// by every instance on the database: claim() skips a row another instance holds locked (FOR UPDATE
// SKIP LOCKED) and wins for exactly one caller (docs/postgresql.md).
#include <cstdint>
#include <memory>

#include "mako/core/deadline_store.hpp"

namespace mako::postgres {

namespace detail {
class Database;
}

class PgDeadlineStore final : public mako::DeadlineStore {
 public:
  explicit PgDeadlineStore(std::shared_ptr<detail::Database> db);  // get one from PgStore
  ~PgDeadlineStore() override;

  std::vector<DeadlineItem> due(Timestamp now, std::size_t limit) const override;
  std::optional<Timestamp> next_due() const override;
  bool claim(std::int64_t id, Timestamp now) override;
  bool mark_fired(std::int64_t id, DeadlineStatus outcome, const std::string& note) override;
  bool release(std::int64_t id) override;
  bool cancel(const StreamId& stream, const std::string& name) override;
  std::vector<DeadlineItem> pending() const override;
  std::vector<DeadlineItem> list(const DeadlineQuery& query) const override;
  std::optional<DeadlineItem> find(const StreamId& stream, const std::string& name) const override;

 private:
  std::shared_ptr<detail::Database> db_;
};

}  // namespace mako::postgres
