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

#define MAKO_DEADLINE_COLUMNS                                                                                                \
  "d.deadline_key, d.name, d.due_ns, d.command, d.status, d.fired_at_ns, d.outcome, d.created_at_ns, " MAKO_IDENTITY_COLUMNS \
  " FROM deadlines d JOIN streams s USING (stream_key) "

constexpr const char* kDue = "SELECT " MAKO_DEADLINE_COLUMNS
                             "WHERE d.status = 'pending' AND d.due_ns <= ?1 ORDER BY d.due_ns, d.deadline_key LIMIT ?2";
constexpr const char* kNextDue = "SELECT min(due_ns) FROM deadlines WHERE status = 'pending'";
constexpr const char* kPending =
    "SELECT " MAKO_DEADLINE_COLUMNS "WHERE d.status = 'pending' ORDER BY d.due_ns, d.deadline_key";
constexpr const char* kFind = "SELECT " MAKO_DEADLINE_COLUMNS "WHERE s.stream_id = ?1 AND d.name = ?2";
// list(): its filters are appended as "AND ..." (a WHERE that always holds keeps that simple).
constexpr const char* kList = "SELECT " MAKO_DEADLINE_COLUMNS "WHERE 1";
constexpr const char* kListOrder = " ORDER BY d.due_ns, d.deadline_key";
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

DeadlineItem read_item(const detail::Statement& s, const std::string& path) {
  DeadlineItem item(s.int64(0), detail::read_stream_id(s, 8, path), std::string(s.text(1)));
  item.due = detail::from_nanos(s.int64(2));
  item.command = detail::parse_stored_json(s.text(3), path, "command of deadline", item.name);
  item.status = deadline_status_from_name(s.text(4)).value_or(DeadlineStatus::Failed);
  if (!s.is_null(5)) item.fired_at = detail::from_nanos(s.int64(5));
  if (!s.is_null(6)) item.outcome = s.text(6);
  item.created_at = detail::from_nanos(s.int64(7));
  item.process = detail::read_identity(s, 8, path, item.stream_id);
  return item;
}

std::vector<DeadlineItem> read_all(Connection& c, detail::Statement& s) {
  std::vector<DeadlineItem> out;
  while (s.step()) out.push_back(read_item(s, c.path()));
  return out;
}

// " AND <column> IN (?n, ...)" for a non-empty list, numbering its parameters from `next`.
void append_in(std::string& sql, const char* column, std::size_t count, int& next) {
  if (count == 0) return;
  sql += std::string(" AND ") + column + " IN (";
  for (std::size_t i = 0; i < count; ++i) sql += (i ? ", ?" : "?") + std::to_string(next++);
  sql += ')';
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

std::vector<DeadlineItem> SqliteDeadlineStore::list(const DeadlineQuery& query) const {
  std::string sql = kList;
  int next = 1;
  append_in(sql, "s.tenant_id", query.tenants.size(), next);
  append_in(sql, "s.workflow_name", query.workflows.size(), next);
  append_in(sql, "s.process_id", query.processes.size(), next);
  append_in(sql, "d.name", query.names.size(), next);
  if (query.due_since) sql += " AND d.due_ns >= ?" + std::to_string(next++);
  if (query.due_until) sql += " AND d.due_ns < ?" + std::to_string(next++);
  sql += kListOrder;
  return db_->read([&](Connection& c) {
    // Not cached: its text depends on the query's lists.
    detail::Statement s(c.handle(), sql, c.path());
    int p = 1;
    for (const auto& t : query.tenants) s.bind_blob(p++, t.uuid().bytes().data(), 16);
    for (const auto& w : query.workflows) s.bind(p++, std::string_view(w));
    for (const auto& id : query.processes) s.bind_blob(p++, id.uuid().bytes().data(), 16);
    for (const auto& n : query.names) s.bind(p++, std::string_view(n));
    if (query.due_since) s.bind(p++, detail::to_nanos(*query.due_since));
    if (query.due_until) s.bind(p++, detail::to_nanos(*query.due_until));
    return read_all(c, s);
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
