#include "mako/sqlite/sqlite_snapshot_store.hpp"

#include "database.hpp"
#include "mako/core/errors.hpp"
#include "mako/core/timestamp.hpp"

namespace mako::sqlite {

using detail::Connection;
using detail::StatementScope;

namespace {
constexpr const char* kSave =
    "INSERT INTO snapshots (stream_id, sequence_number, state_schema_version, state, saved_at_ns) VALUES (?1, ?2, ?3, ?4, ?5) "
    "ON CONFLICT (stream_id) DO UPDATE SET sequence_number = excluded.sequence_number, "
    "state_schema_version = excluded.state_schema_version, state = excluded.state, saved_at_ns = excluded.saved_at_ns";
constexpr const char* kLoad = "SELECT sequence_number, state_schema_version, state FROM snapshots WHERE stream_id = ?1";
constexpr const char* kRemove = "DELETE FROM snapshots WHERE stream_id = ?1";
}  // namespace

SqliteSnapshotStore::SqliteSnapshotStore(std::shared_ptr<detail::Database> db) : db_(std::move(db)) {}
SqliteSnapshotStore::~SqliteSnapshotStore() = default;

void SqliteSnapshotStore::save(const Snapshot& snapshot) {
  const std::string state = snapshot_state_text(snapshot);
  db_->write([&](Connection& c) {
    StatementScope s(c.statement(kSave));  // one statement: its own transaction
    s->bind(1, std::string_view(snapshot.stream_id.str()));
    s->bind(2, static_cast<std::int64_t>(snapshot.sequence_number));
    s->bind(3, static_cast<std::int64_t>(snapshot.state_schema_version));
    s->bind(4, std::string_view(state));
    s->bind(5, system_now().time_since_epoch().count());
    s->run();
  });
}

std::optional<Snapshot> SqliteSnapshotStore::load(const StreamId& stream) const {
  return db_->read([&](Connection& c) -> std::optional<Snapshot> {
    StatementScope s(c.statement(kLoad));
    s->bind(1, std::string_view(stream.str()));
    if (!s->step()) return std::nullopt;
    Snapshot snap{stream, static_cast<std::uint64_t>(s->int64(0)), static_cast<std::uint32_t>(s->int64(1)), Json()};
    auto text = s->text(2);
    try {
      snap.state = Json::parse(text.begin(), text.end());
    } catch (const Json::exception& e) {
      throw EngineError(EngineError::Kind::Corrupt, "sqlite store '" + c.path() + "': snapshot of '" + stream.str() +
                                                        "' is not valid JSON: " + e.what());
    }
    return snap;
  });
}

void SqliteSnapshotStore::remove(const StreamId& stream) {
  db_->write([&](Connection& c) {
    StatementScope s(c.statement(kRemove));
    s->bind(1, std::string_view(stream.str()));
    s->run();
  });
}

}  // namespace mako::sqlite
