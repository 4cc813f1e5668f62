#include "mako/sqlite/sqlite_inbox_store.hpp"

#include <sqlite3.h>

#include "database.hpp"
#include "service_rows.hpp"

namespace mako::sqlite {

using detail::Connection;
using detail::StatementScope;

namespace {
constexpr const char* kRecord =
    "INSERT INTO inbox (dedup_key, tenant_id, received_at_ns) VALUES (?1, ?2, ?3) ON CONFLICT (dedup_key) DO NOTHING";
constexpr const char* kContains = "SELECT 1 FROM inbox WHERE dedup_key = ?1";

// "{tenant}/{key}", built in one allocation (to_string() + "/" + key takes up to three).
std::string scoped_key(const TenantId& tenant, const std::string& key) {
  std::string out(37 + key.size(), '/');
  tenant.uuid().write_to(out.data());  // what to_string() writes: lowercase, hyphenated
  key.copy(out.data() + 37, key.size());
  return out;
}
}  // namespace

SqliteInboxStore::SqliteInboxStore(std::shared_ptr<detail::Database> db) : db_(std::move(db)) {}
SqliteInboxStore::~SqliteInboxStore() = default;

bool SqliteInboxStore::record_if_new(const TenantId& tenant, const std::string& key, Timestamp received_at) {
  const std::string dedup = scoped_key(tenant, key);
  return db_->write([&](Connection& c) {
    // One statement: the primary key decides atomically, across threads and processes.
    StatementScope s(c.statement(kRecord));
    s->bind(1, std::string_view(dedup));
    detail::bind_id(*s, 2, tenant.uuid());
    s->bind(3, detail::to_nanos(received_at));
    s->run();
    return sqlite3_changes(c.handle()) == 1;
  });
}

bool SqliteInboxStore::contains(const TenantId& tenant, const std::string& key) const {
  const std::string dedup = scoped_key(tenant, key);
  return db_->read([&](Connection& c) {
    StatementScope s(c.statement(kContains));
    s->bind(1, std::string_view(dedup));
    return s->step();
  });
}

}  // namespace mako::sqlite
