#include "mako/postgres/pg_snapshot_store.hpp"

#include "database.hpp"
#include "mako/core/errors.hpp"
#include "mako/core/timestamp.hpp"

namespace mako::postgres {

using detail::Connection;
using detail::Params;

namespace {
// One statement: atomic on its own, and two concurrent saves of one stream cannot both insert.
constexpr const char* kSave =
    "INSERT INTO snapshots (stream_id, sequence_number, state_schema_version, state, saved_at_ns) VALUES ($1, $2, $3, $4::json, $5) "
    "ON CONFLICT (stream_id) DO UPDATE SET sequence_number = excluded.sequence_number, "
    "state_schema_version = excluded.state_schema_version, state = excluded.state, saved_at_ns = excluded.saved_at_ns";
constexpr const char* kLoad = "SELECT sequence_number, state_schema_version, state FROM snapshots WHERE stream_id = $1";
constexpr const char* kRemove = "DELETE FROM snapshots WHERE stream_id = $1";
}  // namespace

PgSnapshotStore::PgSnapshotStore(std::shared_ptr<detail::Database> db) : db_(std::move(db)) {}
PgSnapshotStore::~PgSnapshotStore() = default;

void PgSnapshotStore::save(const Snapshot& snapshot) {
  const std::string state = snapshot_state_text(snapshot);
  Params params;
  params.text(snapshot.stream_id.str())
      .int64(static_cast<std::int64_t>(snapshot.sequence_number))
      .int64(static_cast<std::int64_t>(snapshot.state_schema_version))
      .text(state)
      .int64(system_now().time_since_epoch().count());
  db_->write([&](Connection& c) { c.exec(kSave, params); });
}

std::optional<Snapshot> PgSnapshotStore::load(const StreamId& stream) const {
  return db_->read([&](Connection& c) -> std::optional<Snapshot> {
    Params params;
    params.text(stream.str());
    const auto r = c.exec(kLoad, params);
    if (r.rows() == 0) return std::nullopt;
    Snapshot snap{stream, static_cast<std::uint64_t>(r.int64(0, 0, c.label())),
                  static_cast<std::uint32_t>(r.int64(0, 1, c.label())), Json()};
    const auto text = r.text(0, 2);
    try {
      snap.state = Json::parse(text.begin(), text.end());
    } catch (const Json::exception& e) {
      throw EngineError(EngineError::Kind::Corrupt,
                        c.label() + ": snapshot of '" + stream.str() + "' is not valid JSON: " + e.what());
    }
    return snap;
  });
}

void PgSnapshotStore::remove(const StreamId& stream) {
  Params params;
  params.text(stream.str());
  db_->write([&](Connection& c) { c.exec(kRemove, params); });
}

}  // namespace mako::postgres
