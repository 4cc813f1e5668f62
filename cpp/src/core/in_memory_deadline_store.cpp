#include "mako/core/in_memory_deadline_store.hpp"

#include <algorithm>
#include <limits>

namespace mako {

void InMemoryDeadlineStore::schedule(const StreamId& stream, const std::optional<ProcessIdentity>& process,
                                     const DeadlineRequest& request, Timestamp now) {
  std::lock_guard lock(mutex_);
  auto [it, added] = by_name_.try_emplace({stream.str(), request.name}, next_id_);
  if (added) {
    DeadlineItem item(next_id_, stream, request.name);
    item.process = process;
    item.due = request.due;
    item.command = request.command;
    item.created_at = now;
    pending_by_due_.emplace(item.due, item.id);
    items_.emplace(next_id_++, std::move(item));
    return;
  }
  DeadlineItem& item = items_.at(it->second);
  if (item.status == DeadlineStatus::Pending) pending_by_due_.erase({item.due, item.id});
  pending_by_due_.emplace(request.due, item.id);
  item.due = request.due;
  item.command = request.command;
  item.status = DeadlineStatus::Pending;
  item.fired_at.reset();
  item.outcome.clear();
  if (!item.process) item.process = process;
}

std::vector<DeadlineItem> InMemoryDeadlineStore::pending_locked(Timestamp until, std::size_t limit) const {
  // Soonest first; equal due times in scheduling order (ids grow with scheduling).
  std::vector<DeadlineItem> out;
  for (const auto& [due, id] : pending_by_due_) {
    if (due > until || out.size() >= limit) break;
    out.push_back(items_.at(id));
  }
  return out;
}

std::vector<DeadlineItem> InMemoryDeadlineStore::due(Timestamp now, std::size_t limit) const {
  std::lock_guard lock(mutex_);
  return pending_locked(now, limit);
}

std::optional<Timestamp> InMemoryDeadlineStore::next_due() const {
  std::lock_guard lock(mutex_);
  auto soonest = pending_locked(Timestamp::max(), 1);
  if (soonest.empty()) return std::nullopt;
  return soonest.front().due;
}

bool InMemoryDeadlineStore::claim(std::int64_t id, Timestamp now) {
  std::lock_guard lock(mutex_);
  auto it = items_.find(id);
  if (it == items_.end() || it->second.status != DeadlineStatus::Pending || it->second.due > now) return false;
  pending_by_due_.erase({it->second.due, id});
  it->second.status = DeadlineStatus::Claimed;
  it->second.fired_at = now;
  return true;
}

bool InMemoryDeadlineStore::mark_fired(std::int64_t id, DeadlineStatus outcome, const std::string& note) {
  std::lock_guard lock(mutex_);
  auto it = items_.find(id);
  if (it == items_.end() || it->second.status != DeadlineStatus::Claimed) return false;
  it->second.status = outcome;
  it->second.outcome = note;
  return true;
}

bool InMemoryDeadlineStore::release(std::int64_t id) {
  std::lock_guard lock(mutex_);
  auto it = items_.find(id);
  if (it == items_.end() || it->second.status != DeadlineStatus::Claimed) return false;
  it->second.status = DeadlineStatus::Pending;
  it->second.fired_at.reset();
  pending_by_due_.emplace(it->second.due, id);
  return true;
}

bool InMemoryDeadlineStore::cancel(const StreamId& stream, const std::string& name) {
  std::lock_guard lock(mutex_);
  auto it = by_name_.find({stream.str(), name});
  if (it == by_name_.end()) return false;
  DeadlineItem& item = items_.at(it->second);
  if (item.status != DeadlineStatus::Pending) return false;
  pending_by_due_.erase({item.due, item.id});
  item.status = DeadlineStatus::Cancelled;
  return true;
}

std::vector<DeadlineItem> InMemoryDeadlineStore::pending() const {
  std::lock_guard lock(mutex_);
  return pending_locked(Timestamp::max(), std::numeric_limits<std::size_t>::max());
}

std::vector<DeadlineItem> InMemoryDeadlineStore::list(const DeadlineQuery& query) const {
  std::lock_guard lock(mutex_);
  std::vector<DeadlineItem> out;
  for (const auto& [id, item] : items_)  // in id (= scheduling) order, so the stable sort keeps ties so
    if (query.admits(item)) out.push_back(item);
  std::stable_sort(out.begin(), out.end(), [](const DeadlineItem& a, const DeadlineItem& b) { return a.due < b.due; });
  return out;
}

std::optional<DeadlineItem> InMemoryDeadlineStore::find(const StreamId& stream, const std::string& name) const {
  std::lock_guard lock(mutex_);
  auto it = by_name_.find({stream.str(), name});
  if (it == by_name_.end()) return std::nullopt;
  return items_.at(it->second);
}

}  // namespace mako
