#pragma once
// The outbox in process memory; InMemoryEventStore enqueues the messages of its commits here.
#include <map>
#include <mutex>
#include <set>
#include <string>

#include "mako/core/outbox_store.hpp"

namespace mako {

class InMemoryOutboxStore final : public OutboxStore {
 public:
  // Adds a pending message. False (and nothing changes) when its idempotency key is known already.
  bool enqueue(OutboxItem item);

  std::vector<OutboxItem> claim_due(Timestamp now, std::size_t limit,
                                    std::chrono::nanoseconds lease = kDefaultClaimLease) override;
  bool mark_delivered(const std::string& key, Timestamp at) override;
  bool mark_failed(const std::string& key, const std::string& error, Timestamp next_attempt_at) override;
  bool dead_letter(const std::string& key, const std::string& reason, Timestamp at) override;
  std::vector<OutboxItem> dead_letters() const override;
  std::size_t pending_count() const override;
  std::optional<OutboxItem> find(const std::string& key) const override;

 private:
  OutboxItem* pending_item(const std::string& key);

  mutable std::mutex mutex_;
  std::map<std::uint64_t, OutboxItem> items_;  // by enqueue order
  std::map<std::string, std::uint64_t, std::less<>> by_key_;
  // Orders of the pending items only, so claiming and counting never walk delivered history.
  std::set<std::uint64_t> pending_;
  std::uint64_t next_ = 1;
};

}  // namespace mako
