#pragma once
// The PostgreSQL store: events, stream versions, snapshots and the runtime stores (outbox,
// deadlines, process registry, inbox, dead letters, projection checkpoints) in one schema of a
// PostgreSQL database, shared by any number of engine processes on any number of machines.
// Design and schema: docs/postgresql.md.
//
// Same contract as the SQLite store (the same test suites run on it): optimistic concurrency per
// stream, one global order without holes (reserved positions and the log horizon: commit_writer.hpp),
// units of work as transactions with nested units as SAVEPOINTs. A commit writes its outbox
// messages, deadlines and registry entries in the same transaction as its events. Workers of
// several instances share the outbox and the deadlines: claims skip rows another instance holds
// locked (FOR UPDATE SKIP LOCKED), outbox claims lease what they take. Failures that may pass when
// the call is repeated -- a lost connection, a server restart, a deadlock, a serialization failure,
// a lock wait past PgOptions::lock_timeout -- are EngineError(Busy), which is_transient().
#include <cstdint>
#include <memory>
#include <string>

#include "mako/core/event_store.hpp"
#include "mako/core/runtime_stores.hpp"
#include "mako/core/snapshot_store.hpp"
#include "mako/postgres/pg_options.hpp"

namespace mako::postgres {

namespace detail {
class Database;
}

class PgStore : public mako::EventStore, public mako::RuntimeStoresProvider {
 public:
  static constexpr int kSchemaVersion = 4;

  // Connects with a libpq connection string ("host=... dbname=..." or "postgresql://user@host/db")
  // and creates or migrates the tables in options.schema. Throws EngineError: InvalidInput (a
  // malformed connection string or schema name), Busy (the server cannot be reached), SchemaTooNew
  // (written by a newer mako-engine), Storage (e.g. no permission to create the tables).
  static std::shared_ptr<PgStore> open(const std::string& conninfo, PgOptions options = {});

  // The snapshot store in the same schema, sharing this store's connections and units of work.
  std::shared_ptr<mako::SnapshotStore> snapshots();
  // The runtime stores in the same schema, sharing this store's connections and units of work: an
  // inbox mark or a claim made inside a unit commits (or rolls back) with it.
  std::shared_ptr<mako::OutboxStore> outbox();
  std::shared_ptr<mako::DeadlineStore> deadlines();
  std::shared_ptr<mako::ProcessRegistry> registry();
  std::shared_ptr<mako::InboxStore> inbox();
  std::shared_ptr<mako::DeadLetterSink> dead_letters();
  std::shared_ptr<mako::CheckpointStore> checkpoints();
  mako::RuntimeStores runtime_stores() override;
  int schema_version() const;
  // Names the server, database and schema (never the password), as error messages do.
  const std::string& label() const;

  std::uint64_t append(CommitBatch& batch) override;
  // All batches in one transaction, each atomic on its own: a batch refused (version conflict, bad
  // input) is reported in its slot and leaves nothing, the others commit. A failure of the store
  // (lost connection, ...) is reported in every slot, and nothing is written.
  std::vector<std::optional<EngineError>> append_many(std::vector<CommitBatch>& batches) override;
  // One transaction on one connection for everything the calling thread does on this store (and
  // its snapshot store) until commit(); nested units are SAVEPOINTs (mako/core/work_unit.hpp).
  // Once it has appended, the unit holds its streams' rows and the log horizon (readers of other
  // sessions stop below its positions) until it ends: keep units short.
  std::unique_ptr<WorkUnit> begin_work_unit(UnitNesting nesting = UnitNesting::Savepoint) override;
  // Closes the pooled connections; afterwards every call -- here and on the snapshot store -- throws
  // EngineError(InvalidInput). Refused inside a unit of work of the calling thread. Idempotent.
  void close() override;
  bool closed() const;
  std::vector<EventEnvelope> load_from(const StreamId& stream, std::uint64_t after_sequence) const override;
  // Reads the stream in pages (constant memory); the visitor runs while a connection is borrowed.
  std::uint64_t fold_stream(const StreamId& stream, std::uint64_t after_sequence,
                            const EventVisitor& visit) const override;
  std::uint64_t stream_version(const StreamId& stream) const override;
  StreamPage list_streams(const std::string& prefix, const std::optional<std::string>& after,
                          std::size_t limit) const override;
  std::vector<EventEnvelope> read_all(std::uint64_t after_position, std::size_t limit) const override;
  std::uint64_t head_position() const override;

  explicit PgStore(std::shared_ptr<detail::Database> db);  // use open()
  ~PgStore() override;

 private:
  std::shared_ptr<detail::Database> db_;
};

}  // namespace mako::postgres
