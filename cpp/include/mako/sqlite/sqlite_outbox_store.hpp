#pragma once
// The outbox in the store's file (table `outbox`), filled by commits in their transaction.
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "mako/core/outbox_store.hpp"

namespace mako::sqlite {

namespace detail {
class Database;
}

class SqliteOutboxStore final : public mako::OutboxStore {
 public:
  explicit SqliteOutboxStore(std::shared_ptr<detail::Database> db);  // get one from SqliteStore
  ~SqliteOutboxStore() override;

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
  // The rows the last claim_due returned (idempotency key, message_key), so that mark_delivered
  // finds its row by rowid instead of through the text index. Only a hint: the update also checks
  // the key, and falls back to the key lookup. Touched only while holding the writer.
  std::vector<std::pair<std::string, std::int64_t>> claimed_;
  std::size_t next_claimed_ = 0;                     // the worker usually confirms in claim order
  std::int64_t claimed_row(const std::string& key);  // 0: not among the last claim's rows
};

}  // namespace mako::sqlite
