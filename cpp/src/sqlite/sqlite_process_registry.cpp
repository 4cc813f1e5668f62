#include "mako/sqlite/sqlite_process_registry.hpp"

#include <utility>

#include "database.hpp"
#include "mako/core/errors.hpp"
#include "service_rows.hpp"
#include "transaction.hpp"

namespace mako::sqlite {

using detail::Connection;
using detail::StatementScope;

namespace {

// Every registration of the key (usually one); lookup keeps the newest. Without ORDER BY ... LIMIT 1,
// which made SQLite build a temporary b-tree per lookup for a sort of one row.
constexpr const char* kLookup = "SELECT r.created_at_ns, r.stream_key, " MAKO_IDENTITY_COLUMNS
                                " FROM registry r JOIN streams s USING (stream_key) "
                                "WHERE r.tenant_id = ?1 AND r.kind = ?2 AND r.key = ?3";
constexpr const char* kKeysOf =
    "SELECT r.kind, r.key FROM registry r JOIN streams s USING (stream_key) WHERE s.stream_id = ?1 "
    "ORDER BY r.created_at_ns, r.kind, r.key";
// A process may register a key before its first commit: its stream row then starts at version 0
// with the identity the first event would have given it.
constexpr const char* kEnsureStream =
    "INSERT INTO streams (stream_id, version, tenant_id, process_id, workflow_name, format_version, created_at_ns, updated_at_ns) "
    "VALUES (?1, 0, ?2, ?3, ?4, ?5, ?6, ?6) ON CONFLICT (stream_id) DO UPDATE SET "
    "tenant_id = coalesce(tenant_id, excluded.tenant_id), process_id = coalesce(process_id, excluded.process_id), "
    "workflow_name = coalesce(workflow_name, excluded.workflow_name), format_version = coalesce(format_version, excluded.format_version)";
// list(): its filters are appended as "AND ..."; the order of the history reader (HistoryReader::registry).
constexpr const char* kList = "SELECT r.kind, r.key, r.created_at_ns, " MAKO_IDENTITY_COLUMNS
                              " FROM registry r JOIN streams s USING (stream_key) WHERE 1";
constexpr const char* kListOrder = " ORDER BY r.created_at_ns, r.stream_key, r.kind, r.key";
constexpr const char* kStreamKey = "SELECT stream_key FROM streams WHERE stream_id = ?1";
constexpr const char* kInsert =
    "INSERT INTO registry (tenant_id, kind, key, stream_key, process_id, created_at_ns) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
    "ON CONFLICT DO NOTHING";

// " AND <column> IN (?n, ...)" for the ids, numbering their parameters from `next`.
template <class Id>
void append_in(std::string& sql, const char* column, const std::vector<Id>& ids, int& next) {
  if (ids.empty()) return;
  sql += std::string(" AND ") + column + " IN (";
  for (std::size_t i = 0; i < ids.size(); ++i) sql += (i ? ", ?" : "?") + std::to_string(next++);
  sql += ')';
}

}  // namespace

SqliteProcessRegistry::SqliteProcessRegistry(std::shared_ptr<detail::Database> db) : db_(std::move(db)) {}
SqliteProcessRegistry::~SqliteProcessRegistry() = default;

std::optional<ProcessIdentity> SqliteProcessRegistry::lookup(const TenantId& tenant, std::string_view kind,
                                                             std::string_view key) const {
  return db_->read([&](Connection& c) -> std::optional<ProcessIdentity> {
    StatementScope s(c.statement(kLookup));
    detail::bind_id(*s, 1, tenant.uuid());
    s->bind(2, kind);
    s->bind(3, key);
    // Newest registration wins; entries of one commit share created_at_ns, so the later stream wins.
    std::optional<ProcessIdentity> found;
    std::optional<std::pair<std::int64_t, std::int64_t>> newest;  // (created_at_ns, stream_key)
    while (s->step()) {
      const std::pair<std::int64_t, std::int64_t> at{s->int64(0), s->int64(1)};
      if (newest && at <= *newest) continue;
      newest = at;
      found = detail::read_identity(*s, 2, c.path());
    }
    return found;
  });
}

void SqliteProcessRegistry::register_key(const ProcessIdentity& process, const RegistryEntry& entry) {
  if (entry.kind.empty() || entry.key.empty())
    throw EngineError::invalid_input("a registry entry needs a kind and a key");
  const std::string fv = process.workflow_id.format_version().to_string();
  const std::int64_t now = detail::to_nanos(system_now());
  db_->write([&](Connection& c) {
    detail::WriteTransaction tx(c);
    c.commit_cache.reset();  // the stream row may be new or change identity: the appender reads it again
    {
      StatementScope s(c.statement(kEnsureStream));
      s->bind(1, std::string_view(process.stream_id.str()));
      detail::bind_id(*s, 2, process.tenant_id.uuid());
      detail::bind_id(*s, 3, process.process_id.uuid());
      s->bind(4, std::string_view(process.workflow_id.name()));
      s->bind(5, std::string_view(fv));
      s->bind(6, now);
      s->run();
    }
    std::int64_t stream_key = 0;
    {
      StatementScope s(c.statement(kStreamKey));
      s->bind(1, std::string_view(process.stream_id.str()));
      if (s->step()) stream_key = s->int64(0);
    }
    StatementScope s(c.statement(kInsert));
    detail::bind_id(*s, 1, process.tenant_id.uuid());
    s->bind(2, std::string_view(entry.kind));
    s->bind(3, std::string_view(entry.key));
    s->bind(4, stream_key);
    detail::bind_id(*s, 5, process.process_id.uuid());
    s->bind(6, now);
    s->run();
    s->reset();
    tx.commit();
  });
}

std::vector<RegisteredKey> SqliteProcessRegistry::list(const RegistryQuery& query) const {
  std::string sql = kList;
  int next = 1;
  append_in(sql, "s.tenant_id", query.tenants, next);
  append_in(sql, "s.process_id", query.processes, next);
  sql += kListOrder;
  return db_->read([&](Connection& c) {
    detail::Statement s(c.handle(), sql, c.path());  // not cached: its text depends on the query
    int p = 1;
    for (const auto& t : query.tenants) detail::bind_id(s, p++, t.uuid());
    for (const auto& id : query.processes) detail::bind_id(s, p++, id.uuid());
    std::vector<RegisteredKey> out;
    while (s.step()) {
      const StreamId stream = detail::read_stream_id(s, 3, c.path());
      out.push_back(RegisteredKey{stream, detail::read_identity(s, 3, c.path(), stream),
                                  RegistryEntry{std::string(s.text(0)), std::string(s.text(1))},
                                  detail::from_nanos(s.int64(2))});
    }
    return out;
  });
}

std::vector<RegistryEntry> SqliteProcessRegistry::keys_of(const StreamId& stream) const {
  return db_->read([&](Connection& c) {
    std::vector<RegistryEntry> out;
    StatementScope s(c.statement(kKeysOf));
    s->bind(1, std::string_view(stream.str()));
    while (s->step()) out.push_back(RegistryEntry{std::string(s->text(0)), std::string(s->text(1))});
    return out;
  });
}

}  // namespace mako::sqlite
