#include "mako/postgres/pg_process_registry.hpp"

#include "database.hpp"
#include "mako/core/errors.hpp"
#include "service_rows.hpp"

namespace mako::postgres {

using detail::Connection;
using detail::Params;

namespace {

// Tenant isolation: every lookup names its tenant, and the primary key (tenant_id, kind, key, ...)
// serves it. The newest registration wins (registration_key grows with each insert).
constexpr const char* kLookup = "SELECT " MAKO_PG_IDENTITY_COLUMNS
                                " FROM registry r JOIN streams s USING (stream_key) "
                                "WHERE r.tenant_id = $1 AND r.kind = $2 AND r.key = $3 "
                                "ORDER BY r.registration_key DESC LIMIT 1";
constexpr const char* kKeysOf =
    "SELECT r.kind, r.key FROM registry r JOIN streams s USING (stream_key) WHERE s.stream_id = $1 "
    "ORDER BY r.registration_key";
// list(): one statement for every query (prepared once); a NULL list admits everything. The order of
// the SQLite history reader (HistoryReader::registry).
constexpr const char* kList =
    "SELECT r.kind, r.key, r.created_at_ns, " MAKO_PG_IDENTITY_COLUMNS
    " FROM registry r JOIN streams s USING (stream_key) "
    "WHERE ($1::uuid[] IS NULL OR s.tenant_id = ANY($1::uuid[])) AND ($2::uuid[] IS NULL OR s.process_id = ANY($2::uuid[])) "
    "ORDER BY r.created_at_ns, r.stream_key, r.kind, r.key";
// A process may register a key before its first commit: its stream row then starts at version 0
// with the identity the first event would have given it. A commit creating the row concurrently
// inserts it ON CONFLICT DO NOTHING too (commit_writer.hpp), so either may come first.
constexpr const char* kEnsureStream =
    "INSERT INTO streams (stream_id, version, tenant_id, process_id, workflow_name, format_version, created_at_ns, updated_at_ns) "
    "VALUES ($1, 0, $2, $3, $4, $5, $6, $6) ON CONFLICT (stream_id) DO UPDATE SET "
    "tenant_id = coalesce(streams.tenant_id, excluded.tenant_id), process_id = coalesce(streams.process_id, excluded.process_id), "
    "workflow_name = coalesce(streams.workflow_name, excluded.workflow_name), "
    "format_version = coalesce(streams.format_version, excluded.format_version) RETURNING stream_key";
constexpr const char* kInsert =
    "INSERT INTO registry (tenant_id, kind, key, stream_key, process_id, created_at_ns) VALUES ($1, $2, $3, $4, $5, $6) "
    "ON CONFLICT DO NOTHING";

// An id filter as a uuid[] parameter, NULL when empty (no filter).
template <class Id>
void ids_param(Params& params, const std::vector<Id>& ids) {
  if (ids.empty()) {
    params.null();
    return;
  }
  std::vector<std::string> texts;
  for (const auto& id : ids) texts.push_back(id.uuid().to_string());
  params.text_array(texts);
}

}  // namespace

PgProcessRegistry::PgProcessRegistry(std::shared_ptr<detail::Database> db) : db_(std::move(db)) {}
PgProcessRegistry::~PgProcessRegistry() = default;

std::optional<ProcessIdentity> PgProcessRegistry::lookup(const TenantId& tenant, std::string_view kind,
                                                         std::string_view key) const {
  Params params;
  params.uuid(tenant.uuid()).text(kind, "the registry kind").text(key, "the registry key");
  return db_->read([&](Connection& c) -> std::optional<ProcessIdentity> {
    const auto r = c.exec(kLookup, params);
    if (r.rows() == 0) return std::nullopt;
    return detail::read_identity(r, 0, 0, c.label());
  });
}

void PgProcessRegistry::register_key(const ProcessIdentity& process, const RegistryEntry& entry) {
  if (entry.kind.empty() || entry.key.empty())
    throw EngineError::invalid_input("a registry entry needs a kind and a key");
  const std::int64_t now = detail::to_nanos(system_now());
  // Every parameter is built (and a NUL byte refused) before the first statement.
  Params stream, insert;
  stream.text(process.stream_id.str())
      .uuid(process.tenant_id.uuid())
      .uuid(process.process_id.uuid())
      .text(process.workflow_id.name(), "the workflow name")
      .text(process.workflow_id.format_version().to_string())
      .int64(now);
  insert.uuid(process.tenant_id.uuid()).text(entry.kind, "the registry kind").text(entry.key, "the registry key");
  db_->write([&](Connection& c) {
    const std::int64_t stream_key = c.exec(kEnsureStream, stream).int64(0, 0, c.label());
    Params row = insert;
    row.int64(stream_key).uuid(process.process_id.uuid()).int64(now);
    c.exec(kInsert, row);
  });
}

std::vector<RegisteredKey> PgProcessRegistry::list(const RegistryQuery& query) const {
  Params params;
  ids_param(params, query.tenants);
  ids_param(params, query.processes);
  return db_->read([&](Connection& c) {
    const auto r = c.exec(kList, params);
    std::vector<RegisteredKey> out;
    out.reserve(static_cast<std::size_t>(r.rows()));
    for (int row = 0; row < r.rows(); ++row)
      out.push_back(RegisteredKey{detail::read_stream_id(r, row, 3, c.label()),
                                  detail::read_identity(r, row, 3, c.label()),
                                  RegistryEntry{std::string(r.text(row, 0)), std::string(r.text(row, 1))},
                                  detail::from_nanos(r.int64(row, 2, c.label()))});
    return out;
  });
}

std::vector<RegistryEntry> PgProcessRegistry::keys_of(const StreamId& stream) const {
  Params params;
  params.text(stream.str());
  return db_->read([&](Connection& c) {
    const auto r = c.exec(kKeysOf, params);
    std::vector<RegistryEntry> out;
    for (int row = 0; row < r.rows(); ++row)
      out.push_back(RegistryEntry{std::string(r.text(row, 0)), std::string(r.text(row, 1))});
    return out;
  });
}

}  // namespace mako::postgres
