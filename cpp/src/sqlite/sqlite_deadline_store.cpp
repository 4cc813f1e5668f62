#include "mako/sqlite/sqlite_deadline_store.hpp"

#include <sqlite3.h>

#include <optional>

#include "database.hpp"
#include "mako/core/errors.hpp"
#include "service_rows.hpp"
#include "transaction.hpp"

namespace mako::sqlite {

using detail::Connection;
using detail::StatementScope;

namespace {

#define MAKO_DEADLINE_COLUMNS                                                                               \
  "d.deadline_key, d.name, d.due_ns, d.command, d.status, d.fired_at_ns, d.outcome, " MAKO_IDENTITY_COLUMNS \
  " FROM deadlines d JOIN streams s USING (stream_key) "

constexpr const char* kDue = "SELECT " MAKO_DEADLINE_COLUMNS
                             "WHERE d.status = 'pending' AND d.due_ns <= ?1 ORDER BY d.due_ns, d.deadline_key LIMIT ?2";
constexpr const char* kNextDue = "SELECT min(due_ns) FROM deadlines WHERE status = 'pending'";
constexpr const char* kPending =
    "SELECT " MAKO_DEADLINE_COLUMNS "WHERE d.status = 'pending' ORDER BY d.due_ns, d.deadline_key";
constexpr const char* kFind = "SELECT " MAKO_DEADLINE_COLUMNS "WHERE s.stream_id = ?1 AND d.name = ?2";
// The at-most-once gate: only a pending, due row changes, and SQLite runs one writer at a time.
constexpr const char* kClaim =
    "UPDATE deadlines SET status = 'claimed', fired_at_ns = ?2 "
    "WHERE deadline_key = ?1 AND status = 'pending' AND fired_at_ns IS NULL AND due_ns <= ?2";
constexpr const char* kMarkFired =
    "UPDATE deadlines SET status = ?2, outcome = ?3 WHERE deadline_key = ?1 AND status = 'claimed'";
constexpr const char* kRelease =
    "UPDATE deadlines SET status = 'pending', fired_at_ns = NULL WHERE deadline_key = ?1 AND status = 'claimed'";
constexpr const char* kCancel =
    "UPDATE deadlines SET status = 'cancelled' WHERE status = 'pending' AND name = ?2 "
    "AND stream_key = (SELECT stream_key FROM streams WHERE stream_id = ?1)";

#undef MAKO_DEADLINE_COLUMNS

DeadlineStatus status_of(std::string_view text) {
  for (auto st : {DeadlineStatus::Pending, DeadlineStatus::Claimed, DeadlineStatus::Fired, DeadlineStatus::Moot,
                  DeadlineStatus::Failed, DeadlineStatus::Cancelled})
    if (text == deadline_status_name(st)) return st;
  return DeadlineStatus::Failed;
}

DeadlineItem read_item(const detail::Statement& s, const std::string& path) {
  DeadlineItem item(s.int64(0), detail::read_stream_id(s, 7, path), std::string(s.text(1)));
  item.due = detail::from_nanos(s.int64(2));
  item.command = detail::parse_stored_json(s.text(3), path, "command of deadline", item.name);
  item.status = status_of(s.text(4));
  if (!s.is_null(5)) item.fired_at = detail::from_nanos(s.int64(5));
  if (!s.is_null(6)) item.outcome = s.text(6);
  item.process = detail::read_identity(s, 7, path, item.stream_id);
  return item;
}

std::vector<DeadlineItem> read_all(Connection& c, detail::Statement& s) {
  std::vector<DeadlineItem> out;
  while (s.step()) out.push_back(read_item(s, c.path()));
  return out;
}

bool changed(Connection& c) { return sqlite3_changes(c.handle()) == 1; }

}  // namespace

SqliteDeadlineStore::SqliteDeadlineStore(std::shared_ptr<detail::Database> db) : db_(std::move(db)) {}
SqliteDeadlineStore::~SqliteDeadlineStore() = default;

std::vector<DeadlineItem> SqliteDeadlineStore::due(Timestamp now, std::size_t limit) const {
  return db_->read([&](Connection& c) {
    StatementScope s(c.statement(kDue));
    s->bind(1, detail::to_nanos(now));
    s->bind(2, detail::clamp_limit(limit));
    return read_all(c, *s);
  });
}

std::optional<Timestamp> SqliteDeadlineStore::next_due() const {
  return db_->read([&](Connection& c) -> std::optional<Timestamp> {
    StatementScope s(c.statement(kNextDue));
    if (!s->step() || s->is_null(0)) return std::nullopt;
    return detail::from_nanos(s->int64(0));
  });
}

bool SqliteDeadlineStore::claim(std::int64_t id, Timestamp now) {
  return db_->write([&](Connection& c) {
    // BEGIN IMMEDIATE: the write lock first, then the check. A unit of work holds the lock
    // already, and one statement needs no savepoint (WriteTransaction::Nested::Guard).
    detail::WriteTransaction tx(c, detail::WriteTransaction::Nested::Guard);
    bool won;
    {
      StatementScope s(c.statement(kClaim));
      s->bind(1, id);
      s->bind(2, detail::to_nanos(now));
      s->run();
      won = changed(c);
    }
    tx.commit();
    return won;
  });
}

bool SqliteDeadlineStore::mark_fired(std::int64_t id, DeadlineStatus outcome, const std::string& note) {
  if (outcome != DeadlineStatus::Fired && outcome != DeadlineStatus::Moot && outcome != DeadlineStatus::Failed)
    throw EngineError::invalid_input(std::string("mark_fired needs fired, moot or failed, not ") +
                                     deadline_status_name(outcome));
  return db_->write([&](Connection& c) {
    StatementScope s(c.statement(kMarkFired));
    s->bind(1, id);
    s->bind(2, std::string_view(deadline_status_name(outcome)));
    s->bind(3, std::string_view(note));
    s->run();
    return changed(c);
  });
}

bool SqliteDeadlineStore::release(std::int64_t id) {
  return db_->write([&](Connection& c) {
    StatementScope s(c.statement(kRelease));
    s->bind(1, id);
    s->run();
    return changed(c);
  });
}

bool SqliteDeadlineStore::cancel(const StreamId& stream, const std::string& name) {
  return db_->write([&](Connection& c) {
    StatementScope s(c.statement(kCancel));
    s->bind(1, std::string_view(stream.str()));
    s->bind(2, std::string_view(name));
    s->run();
    return changed(c);
  });
}

std::vector<DeadlineItem> SqliteDeadlineStore::pending() const {
  return db_->read([&](Connection& c) {
    StatementScope s(c.statement(kPending));
    return read_all(c, *s);
  });
}

std::optional<DeadlineItem> SqliteDeadlineStore::find(const StreamId& stream, const std::string& name) const {
  return db_->read([&](Connection& c) -> std::optional<DeadlineItem> {
    StatementScope s(c.statement(kFind));
    s->bind(1, std::string_view(stream.str()));
    s->bind(2, std::string_view(name));
    if (!s->step()) return std::nullopt;
    return read_item(*s, c.path());
  });
}

}  // namespace mako::sqlite
