#pragma once
// The durable embedded event store: one SQLite database file holds events, stream versions,
// snapshots, outbox messages, deadlines, registry entries, inbox keys and projection checkpoints.
// Schema: docs/sqlite-schema.md. Safe to share across threads and across OS processes.
//
// Connections: SQLite connections are not thread-safe, so the store keeps one writer connection
// behind a mutex (writes are serialised by SQLite anyway) and a pool of read-only connections that a
// reading thread borrows for the duration of one call. In WAL mode readers never block the writer
// and the writer never blocks readers. A ":memory:" database has a single connection for both.
#include <cstdint>
#include <memory>
#include <string>

#include "mako/core/event_store.hpp"
#include "mako/core/runtime_stores.hpp"
#include "mako/core/snapshot_store.hpp"
#include "mako/sqlite/durability.hpp"
#include "mako/sqlite/sqlite_options.hpp"

namespace mako::sqlite {

namespace detail {
class Database;
}

class SqliteStore : public mako::EventStore, public mako::RuntimeStoresProvider {
 public:
  static constexpr int kSchemaVersion = 2;

  // Opens (creating if needed) and migrates the database at `path`; ":memory:" for a private
  // in-memory database. Throws EngineError: Corrupt (not a database), Storage (cannot open or
  // write, read-only), SchemaTooNew (written by a newer mako-engine), Busy (locked past the timeout).
  static std::shared_ptr<SqliteStore> open(const std::string& path, SqliteOptions options = {});

  // The snapshot store in the same file, sharing this store's connections.
  std::shared_ptr<mako::SnapshotStore> snapshots();
  // The runtime stores in the same file, sharing this store's connections. Commits write their
  // messages, deadlines and registry entries in the same transaction as their events.
  std::shared_ptr<mako::OutboxStore> outbox();
  std::shared_ptr<mako::DeadlineStore> deadlines();
  std::shared_ptr<mako::ProcessRegistry> registry();
  std::shared_ptr<mako::InboxStore> inbox();
  std::shared_ptr<mako::DeadLetterSink> dead_letters();
  std::shared_ptr<mako::CheckpointStore> checkpoints();
  // All six (EngineBuilder takes them from here when it is given this store as event store).
  mako::RuntimeStores runtime_stores() override;

  Durability durability() const;
  const std::string& path() const;
  int schema_version() const;
  // PRAGMA integrity_check: "ok", or the problems found, one per line.
  std::string integrity_check() const;

  std::uint64_t append(CommitBatch& batch) override;
  // All batches in one transaction, each atomic on its own: a failing batch leaves nothing and is
  // reported in its slot, the others commit. (Batches are checked before their first write, so no
  // savepoint is needed; a batch that fails midway makes the transaction run again with a SAVEPOINT
  // per batch.) A storage failure that aborts the whole
  // transaction (disk full, I/O error) is reported in every slot, and nothing is written.
  std::vector<std::optional<EngineError>> append_many(std::vector<CommitBatch>& batches) override;
  // One transaction for everything the calling thread writes to this file -- events and the
  // runtime stores of runtime_stores() -- until commit() (mako/core/work_unit.hpp).
  std::unique_ptr<WorkUnit> begin_work_unit(UnitNesting nesting = UnitNesting::Savepoint) override;
  // Writes the whole WAL back into the database file and truncates it (wal_checkpoint(TRUNCATE)),
  // then closes every connection: the .sqlite file alone holds everything (a copy of it without
  // its -wal misses nothing). Also done when the last owner of the store (or of one of its
  // snapshot/runtime stores) lets go of it. Refused inside a unit of work of the calling thread;
  // afterwards every call -- here and on those stores -- throws EngineError(InvalidInput).
  void close() override;
  bool closed() const;
  std::vector<EventEnvelope> load_from(const StreamId& stream, std::uint64_t after_sequence) const override;
  std::uint64_t fold_stream(const StreamId& stream, std::uint64_t after_sequence,
                            const EventVisitor& visit) const override;
  std::uint64_t stream_version(const StreamId& stream) const override;
  StreamPage list_streams(const std::string& prefix, const std::optional<std::string>& after,
                          std::size_t limit) const override;
  std::vector<EventEnvelope> read_all(std::uint64_t after_position, std::size_t limit) const override;
  std::uint64_t head_position() const override;

  explicit SqliteStore(std::shared_ptr<detail::Database> db);  // use open()
  ~SqliteStore() override;

 private:
  std::shared_ptr<detail::Database> db_;
};

}  // namespace mako::sqlite
