#include "mako/sqlite/sqlite_checkpoint_store.hpp"

#include "database.hpp"
#include "service_rows.hpp"

namespace mako::sqlite {

using detail::Connection;
using detail::StatementScope;

namespace {
constexpr const char* kLoad = "SELECT position FROM projection_checkpoints WHERE name = ?1";
constexpr const char* kSave =
    "INSERT INTO projection_checkpoints (name, position, updated_at_ns) VALUES (?1, ?2, ?3) "
    "ON CONFLICT (name) DO UPDATE SET position = excluded.position, updated_at_ns = excluded.updated_at_ns";
}  // namespace

SqliteCheckpointStore::SqliteCheckpointStore(std::shared_ptr<detail::Database> db) : db_(std::move(db)) {}
SqliteCheckpointStore::~SqliteCheckpointStore() = default;

std::uint64_t SqliteCheckpointStore::load(const std::string& name) const {
  return db_->read([&](Connection& c) -> std::uint64_t {
    StatementScope s(c.statement(kLoad));
    s->bind(1, std::string_view(name));
    return s->step() ? static_cast<std::uint64_t>(s->int64(0)) : 0;
  });
}

void SqliteCheckpointStore::save(const std::string& name, std::uint64_t position) {
  db_->write([&](Connection& c) {
    StatementScope s(c.statement(kSave));
    s->bind(1, std::string_view(name));
    s->bind(2, detail::clamp_limit(position));
    s->bind(3, detail::to_nanos(system_now()));
    s->run();
  });
}

}  // namespace mako::sqlite
