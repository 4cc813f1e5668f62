#include "mako/postgres/pg_checkpoint_store.hpp"

#include "database.hpp"
#include "service_rows.hpp"

namespace mako::postgres {

using detail::Connection;
using detail::Params;

namespace {
constexpr const char* kLoad = "SELECT position FROM projection_checkpoints WHERE name = $1";
constexpr const char* kSave =
    "INSERT INTO projection_checkpoints (name, position, updated_at_ns) VALUES ($1, $2, $3) "
    "ON CONFLICT (name) DO UPDATE SET position = excluded.position, updated_at_ns = excluded.updated_at_ns";
}  // namespace

PgCheckpointStore::PgCheckpointStore(std::shared_ptr<detail::Database> db) : db_(std::move(db)) {}
PgCheckpointStore::~PgCheckpointStore() = default;

std::uint64_t PgCheckpointStore::load(const std::string& name) const {
  Params params;
  params.text(name, "the checkpoint name");
  return db_->read([&](Connection& c) -> std::uint64_t {
    const auto r = c.exec(kLoad, params);
    return r.rows() ? static_cast<std::uint64_t>(r.int64(0, 0, c.label())) : 0;
  });
}

void PgCheckpointStore::save(const std::string& name, std::uint64_t position) {
  Params params;
  params.text(name, "the checkpoint name").int64(detail::clamp_limit(position)).int64(detail::to_nanos(system_now()));
  db_->write([&](Connection& c) { c.exec(kSave, params); });
}

}  // namespace mako::postgres
