#include "mako/core/in_memory_outbox_store.hpp"

namespace mako {

bool InMemoryOutboxStore::enqueue(OutboxItem item) {
  std::lock_guard lock(mutex_);
  if (by_key_.contains(item.idempotency_key)) return false;
  item.status = OutboxStatus::Pending;
  const auto order = next_++;
  by_key_.emplace(item.idempotency_key, order);
  items_.emplace(order, std::move(item));
  pending_.insert(order);
  return true;
}

std::vector<OutboxItem> InMemoryOutboxStore::claim_due(Timestamp now, std::size_t limit,
                                                       std::chrono::nanoseconds lease) {
  std::lock_guard lock(mutex_);
  std::vector<OutboxItem> out;
  for (auto order : pending_) {
    if (out.size() >= limit) break;
    OutboxItem& item = items_.at(order);
    if (item.next_attempt_at && *item.next_attempt_at > now) continue;
    out.push_back(item);
    item.next_attempt_at = now + lease;
  }
  return out;
}

OutboxItem* InMemoryOutboxStore::pending_item(const std::string& key) {
  auto it = by_key_.find(key);
  if (it == by_key_.end()) return nullptr;
  OutboxItem& item = items_.at(it->second);
  return item.status == OutboxStatus::Pending ? &item : nullptr;
}

bool InMemoryOutboxStore::mark_delivered(const std::string& key, Timestamp at) {
  std::lock_guard lock(mutex_);
  OutboxItem* item = pending_item(key);
  if (!item) return false;
  item->status = OutboxStatus::Delivered;
  pending_.erase(by_key_.at(key));
  item->attempts += 1;
  item->finished_at = at;
  return true;
}

bool InMemoryOutboxStore::mark_failed(const std::string& key, const std::string& error, Timestamp next_attempt_at) {
  std::lock_guard lock(mutex_);
  OutboxItem* item = pending_item(key);
  if (!item) return false;
  item->attempts += 1;
  item->last_error = error;
  item->next_attempt_at = next_attempt_at;
  return true;
}

bool InMemoryOutboxStore::dead_letter(const std::string& key, const std::string& reason, Timestamp at) {
  std::lock_guard lock(mutex_);
  OutboxItem* item = pending_item(key);
  if (!item) return false;
  item->status = OutboxStatus::DeadLettered;
  pending_.erase(by_key_.at(key));
  item->last_error = reason;
  item->finished_at = at;
  return true;
}

std::vector<OutboxItem> InMemoryOutboxStore::dead_letters() const {
  std::lock_guard lock(mutex_);
  std::vector<OutboxItem> out;
  for (const auto& [order, item] : items_)
    if (item.status == OutboxStatus::DeadLettered) out.push_back(item);
  return out;
}

std::size_t InMemoryOutboxStore::pending_count() const {
  std::lock_guard lock(mutex_);
  return pending_.size();
}

std::optional<OutboxItem> InMemoryOutboxStore::find(const std::string& key) const {
  std::lock_guard lock(mutex_);
  auto it = by_key_.find(key);
  if (it == by_key_.end()) return std::nullopt;
  return items_.at(it->second);
}

}  // namespace mako
