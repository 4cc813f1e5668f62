#include "mako/postgres/pg_inbox_store.hpp"

#include "database.hpp"
#include "service_rows.hpp"

namespace mako::postgres {

using detail::Connection;
using detail::Params;

namespace {
// One statement: the primary key (tenant_id, dedup_key) decides atomically, across connections and
// machines; a racing insert of the same key waits for the first one's transaction and then does nothing.
constexpr const char* kRecord =
    "INSERT INTO inbox (tenant_id, dedup_key, received_at_ns) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING";
constexpr const char* kContains = "SELECT 1 FROM inbox WHERE tenant_id = $1 AND dedup_key = $2";
}  // namespace

PgInboxStore::PgInboxStore(std::shared_ptr<detail::Database> db) : db_(std::move(db)) {}
PgInboxStore::~PgInboxStore() = default;

bool PgInboxStore::record_if_new(const TenantId& tenant, const std::string& key, Timestamp received_at) {
  Params params;
  params.uuid(tenant.uuid()).text(key, "the inbox key").int64(detail::to_nanos(received_at));
  return db_->write([&](Connection& c) { return c.exec(kRecord, params).affected() == 1; });
}

bool PgInboxStore::contains(const TenantId& tenant, const std::string& key) const {
  Params params;
  params.uuid(tenant.uuid()).text(key, "the inbox key");
  return db_->read([&](Connection& c) { return c.exec(kContains, params).rows() > 0; });
}

}  // namespace mako::postgres
