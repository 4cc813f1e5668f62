#include "mako/sqlite/sqlite_outbox_store.hpp"

#include <sqlite3.h>

#include <optional>

#include "database.hpp"
#include "service_rows.hpp"
#include "transaction.hpp"

namespace mako::sqlite {

using detail::Connection;
using detail::StatementScope;

namespace {

// enqueued_at is the time of the commit's last event (the engine clock, which tests and
// simulations inject); a commit without events falls back to the row's wall-clock creation time.
#define MAKO_OUTBOX_COLUMNS                                                                                      \
  "o.idempotency_key, o.step, o.recipient, o.message_type, o.payload, o.attempts, "                              \
  "coalesce((SELECT e.timestamp_ns FROM events e WHERE e.position = o.position), o.created_at_ns), "             \
  "o.next_attempt_ns, o.status, o.last_error, coalesce(o.delivered_at_ns, o.dead_at_ns), " MAKO_IDENTITY_COLUMNS \
  " FROM outbox o JOIN streams s USING (stream_key) "

constexpr const char* kDue = "SELECT o.message_key, " MAKO_OUTBOX_COLUMNS
                             "WHERE o.status = 'pending' AND (o.next_attempt_ns IS NULL OR o.next_attempt_ns <= ?1) "
                             "ORDER BY o.message_key LIMIT ?2";
// The rows kDue returned are exactly the due ones up to the last key it returned (it reads them in
// key order): one statement leases them all, atomically, through the same index.
constexpr const char* kLease =
    "UPDATE outbox SET next_attempt_ns = ?3 "
    "WHERE status = 'pending' AND (next_attempt_ns IS NULL OR next_attempt_ns <= ?1) AND message_key <= ?2";
constexpr const char* kDelivered =
    "UPDATE outbox SET status = 'delivered', attempts = attempts + 1, delivered_at_ns = ?2 "
    "WHERE idempotency_key = ?1 AND status = 'pending'";
// The same, for a row whose message_key the last claim told (the key check keeps a stale hint harmless).
constexpr const char* kDeliveredRow =
    "UPDATE outbox SET status = 'delivered', attempts = attempts + 1, delivered_at_ns = ?2 "
    "WHERE message_key = ?3 AND idempotency_key = ?1 AND status = 'pending'";
constexpr const char* kFailed =
    "UPDATE outbox SET attempts = attempts + 1, last_error = ?2, next_attempt_ns = ?3 "
    "WHERE idempotency_key = ?1 AND status = 'pending'";
constexpr const char* kDead =
    "UPDATE outbox SET status = 'dead', last_error = ?2, dead_at_ns = ?3 WHERE idempotency_key = ?1 AND status = 'pending'";
constexpr const char* kDeadLetters =
    "SELECT o.message_key, " MAKO_OUTBOX_COLUMNS "WHERE o.status = 'dead' ORDER BY o.message_key";
constexpr const char* kPendingCount = "SELECT count(*) FROM outbox WHERE status = 'pending'";
constexpr const char* kFind = "SELECT o.message_key, " MAKO_OUTBOX_COLUMNS "WHERE o.idempotency_key = ?1";

#undef MAKO_OUTBOX_COLUMNS

OutboxStatus status_of(std::string_view text) {
  if (text == "delivered") return OutboxStatus::Delivered;
  if (text == "dead") return OutboxStatus::DeadLettered;
  return OutboxStatus::Pending;
}

// Reads a row selected with "o.message_key, " MAKO_OUTBOX_COLUMNS (column 0 is skipped).
OutboxItem read_item(const detail::Statement& s, const std::string& path) {
  OutboxItem item(std::string(s.text(1)), detail::read_stream_id(s, 12, path));
  item.step = s.text(2);
  item.recipient = s.text(3);
  item.message_type = s.text(4);
  item.payload = detail::parse_stored_json(s.text(5), path, "payload of outbox message", item.idempotency_key);
  item.attempts = static_cast<std::uint32_t>(s.int64(6));
  item.enqueued_at = detail::from_nanos(s.int64(7));
  if (!s.is_null(8)) item.next_attempt_at = detail::from_nanos(s.int64(8));
  item.status = status_of(s.text(9));
  if (!s.is_null(10)) item.last_error = s.text(10);
  if (!s.is_null(11)) item.finished_at = detail::from_nanos(s.int64(11));
  item.process = detail::read_identity(s, 12, path, item.stream_id);
  return item;
}

bool changed(Connection& c) { return sqlite3_changes(c.handle()) == 1; }

}  // namespace

SqliteOutboxStore::SqliteOutboxStore(std::shared_ptr<detail::Database> db) : db_(std::move(db)) {}
SqliteOutboxStore::~SqliteOutboxStore() = default;

std::vector<OutboxItem> SqliteOutboxStore::claim_due(Timestamp now, std::size_t limit, std::chrono::nanoseconds lease) {
  if (limit == 0) return {};
  return db_->write([&](Connection& c) {
    // Select and lease in one write transaction: another worker (thread or process) waits for the
    // lock and then no longer sees these messages as due. A unit of work already holds the write
    // lock, and the lease is one statement after the reads: no savepoint (Nested::Guard).
    detail::WriteTransaction tx(c, detail::WriteTransaction::Nested::Guard);
    std::vector<OutboxItem> out;
    std::int64_t last_key = 0;
    claimed_.clear();
    next_claimed_ = 0;
    {
      StatementScope s(c.statement(kDue));
      s->bind(1, detail::to_nanos(now));
      s->bind(2, detail::clamp_limit(limit));
      while (s->step()) {
        last_key = s->int64(0);
        out.push_back(read_item(*s, c.path()));
        claimed_.emplace_back(out.back().idempotency_key, last_key);
      }
    }
    if (!out.empty()) {
      StatementScope u(c.statement(kLease));
      u->bind(1, detail::to_nanos(now));
      u->bind(2, last_key);
      u->bind(3, detail::to_nanos(now + lease));
      u->run();
    }
    tx.commit();
    return out;
  });
}

std::int64_t SqliteOutboxStore::claimed_row(const std::string& key) {
  for (std::size_t i = 0; i < claimed_.size(); ++i) {
    const std::size_t at = (next_claimed_ + i) % claimed_.size();
    if (claimed_[at].first == key) {
      next_claimed_ = at + 1;
      return claimed_[at].second;
    }
  }
  return 0;
}

bool SqliteOutboxStore::mark_delivered(const std::string& key, Timestamp at) {
  return db_->write([&](Connection& c) {
    if (const std::int64_t row = claimed_row(key); row != 0) {
      StatementScope s(c.statement(kDeliveredRow));
      s->bind(1, std::string_view(key));
      s->bind(2, detail::to_nanos(at));
      s->bind(3, row);
      s->run();
      if (changed(c)) return true;
      // Not pending any more, or a stale hint: the key lookup below decides.
    }
    StatementScope s(c.statement(kDelivered));
    s->bind(1, std::string_view(key));
    s->bind(2, detail::to_nanos(at));
    s->run();
    return changed(c);
  });
}

bool SqliteOutboxStore::mark_failed(const std::string& key, const std::string& error, Timestamp next_attempt_at) {
  return db_->write([&](Connection& c) {
    StatementScope s(c.statement(kFailed));
    s->bind(1, std::string_view(key));
    s->bind(2, std::string_view(error));
    s->bind(3, detail::to_nanos(next_attempt_at));
    s->run();
    return changed(c);
  });
}

bool SqliteOutboxStore::dead_letter(const std::string& key, const std::string& reason, Timestamp at) {
  return db_->write([&](Connection& c) {
    StatementScope s(c.statement(kDead));
    s->bind(1, std::string_view(key));
    s->bind(2, std::string_view(reason));
    s->bind(3, detail::to_nanos(at));
    s->run();
    return changed(c);
  });
}

std::vector<OutboxItem> SqliteOutboxStore::dead_letters() const {
  return db_->read([&](Connection& c) {
    std::vector<OutboxItem> out;
    StatementScope s(c.statement(kDeadLetters));
    while (s->step()) out.push_back(read_item(*s, c.path()));
    return out;
  });
}

std::size_t SqliteOutboxStore::pending_count() const {
  return db_->read([&](Connection& c) {
    StatementScope s(c.statement(kPendingCount));
    return s->step() ? static_cast<std::size_t>(s->int64(0)) : 0;
  });
}

std::optional<OutboxItem> SqliteOutboxStore::find(const std::string& key) const {
  return db_->read([&](Connection& c) -> std::optional<OutboxItem> {
    StatementScope s(c.statement(kFind));
    s->bind(1, std::string_view(key));
    if (!s->step()) return std::nullopt;
    return read_item(*s, c.path());
  });
}

}  // namespace mako::sqlite
