#pragma once
// Deadlines in the store's file (table `deadlines`), scheduled by commits in their transaction. claim() is one UPDATE
// ... WHERE status = 'pending' in a BEGIN IMMEDIATE transaction: of racing schedulers, in this process or others,
// exactly one sees a changed row.
#include <memory>

#include "mako/core/deadline_store.hpp"

namespace mako::sqlite {

namespace detail {
class Database;
}

class SqliteDeadlineStore final : public mako::DeadlineStore {
 public:
  explicit SqliteDeadlineStore(std::shared_ptr<detail::Database> db);  // get one from SqliteStore
  ~SqliteDeadlineStore() override;

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

}  // namespace mako::sqlite
