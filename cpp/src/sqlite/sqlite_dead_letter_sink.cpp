#include "mako/sqlite/sqlite_dead_letter_sink.hpp"

#include <sqlite3.h>

#include "database.hpp"
#include "event_rows.hpp"
#include "service_rows.hpp"

namespace mako::sqlite {

using detail::Connection;
using detail::StatementScope;

namespace {
constexpr const char* kPut =
    "INSERT INTO dead_letters (tenant_id, source, route_key, reason, payload, received_at_ns) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
constexpr const char* kList =
    "SELECT dead_letter_key, tenant_id, source, route_key, reason, payload, received_at_ns FROM dead_letters "
    "ORDER BY dead_letter_key LIMIT ?1";
constexpr const char* kCount = "SELECT count(*) FROM dead_letters";
}  // namespace

SqliteDeadLetterSink::SqliteDeadLetterSink(std::shared_ptr<detail::Database> db) : db_(std::move(db)) {}
SqliteDeadLetterSink::~SqliteDeadLetterSink() = default;

std::int64_t SqliteDeadLetterSink::put(const DeadLetter& letter) {
  return db_->write([&](Connection& c) {
    StatementScope s(c.statement(kPut));
    if (letter.tenant) detail::bind_id(*s, 1, letter.tenant->uuid());
    else s->bind_null(1);
    s->bind(2, std::string_view(letter.source));
    s->bind(3, std::string_view(letter.route_key));
    s->bind(4, std::string_view(letter.reason));
    // A BLOB keeps the bytes exactly as received, whatever their encoding.
    s->bind_blob(5, letter.payload.data(), static_cast<int>(letter.payload.size()));
    s->bind(6, detail::to_nanos(letter.at));
    s->run();
    return static_cast<std::int64_t>(sqlite3_last_insert_rowid(c.handle()));
  });
}

std::vector<DeadLetter> SqliteDeadLetterSink::list(std::size_t limit) const {
  return db_->read([&](Connection& c) {
    std::vector<DeadLetter> out;
    StatementScope s(c.statement(kList));
    s->bind(1, detail::clamp_limit(limit));
    while (s->step()) {
      DeadLetter& d = out.emplace_back();
      d.id = s->int64(0);
      if (!s->is_null(1)) d.tenant = TenantId(detail::uuid_from_blob(s->blob(1), c.path(), "dead_letters.tenant_id"));
      d.source = s->text(2);
      d.route_key = s->text(3);
      d.reason = s->text(4);
      d.payload = s->blob(5);
      d.at = detail::from_nanos(s->int64(6));
    }
    return out;
  });
}

std::size_t SqliteDeadLetterSink::count() const {
  return db_->read([&](Connection& c) {
    StatementScope s(c.statement(kCount));
    return s->step() ? static_cast<std::size_t>(s->int64(0)) : 0;
  });
}

}  // namespace mako::sqlite
