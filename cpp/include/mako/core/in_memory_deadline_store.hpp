#pragma once
// Deadlines in process memory; InMemoryEventStore schedules the deadlines of its commits here.
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <utility>

#include "mako/core/deadline_store.hpp"
#include "mako/core/outbound_message.hpp"

namespace mako {

class InMemoryDeadlineStore final : public DeadlineStore {
 public:
  // Adds the deadline, or re-arms the one of the same name on the stream (new due time and
  // command, pending again) — the same rule as the SQLite store. `now` becomes a new deadline's created_at.
  void schedule(const StreamId& stream, const std::optional<ProcessIdentity>& process, const DeadlineRequest& request,
                Timestamp now);

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
  std::vector<DeadlineItem> pending_locked(Timestamp until, std::size_t limit) const;

  mutable std::mutex mutex_;
  std::map<std::int64_t, DeadlineItem> items_;
  std::map<std::pair<std::string, std::string>, std::int64_t> by_name_;  // (stream, name) -> id
  // (due, id) of the pending deadlines only: soonest first without walking fired history.
  std::set<std::pair<Timestamp, std::int64_t>> pending_by_due_;
  std::int64_t next_id_ = 1;
};

}  // namespace mako
