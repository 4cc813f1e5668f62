#pragma once
// Writes CommitBatches -- events, stream versions, outbox messages, deadlines and registry entries
// -- inside the caller's transaction: what a commit asks the services to do is visible exactly when
// its events are, and rolls back with them.
//
// Global order without holes: before it reads the stream's version and the last position, the first
// batch of a transaction takes the append lock, pg_advisory_xact_lock(key) with key = "mako" in the
// high 32 bits and the events table's OID in the low ones (Database::append_lock_key), held until
// the transaction ends. Appends therefore run one at a time and commit in
// the order of their positions (max(position) + 1 ...), and PostgreSQL makes a commit visible before
// it releases the transaction's locks: a reader of read_all(after) that has seen position P never
// later finds a commit below P. (A sequence alone would not do: a slow transaction can commit a
// lower number after a faster one committed a higher one.) The lock and the read are two statements,
// sent together (pipelined): the read's snapshot is taken when it starts, after the lock is
// granted, so it sees every commit made while this one waited. Reads take no lock. A batch without
// events but with messages, deadlines or registry entries takes the lock too: stream rows are
// created only under it (PgProcessRegistry::register_key as well), and its expected version holds
// until it commits. A deadline row it re-arms is locked FOR UPDATE NOWAIT first: a scheduler firing
// that deadline holds the row and waits for the append lock next, so this batch fails (Busy) at once
// rather than close a deadlock.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "connection.hpp"
#include "mako/core/event_store.hpp"

namespace mako::postgres::detail {

class CommitWriter {
 public:
  CommitWriter(Connection& c, std::int64_t lock_key) : c_(c), lock_key_(lock_key) {}
  // Checks the batch and the expected version, writes, assigns sequence numbers and global
  // positions to batch.events in place and returns the stream's new version. Throws EngineError;
  // then started() tells whether anything was written (only then must the caller roll back).
  // The writes are queued on the connection (Connection::queue): they go to the server with the
  // next statement, at the latest with the COMMIT, in one round trip; a failure of theirs surfaces
  // there.
  std::uint64_t write(CommitBatch& batch);
  bool started() const { return started_; }

  // append_many's one-pass path, for calls whose batches carry events only (no messages, deadlines
  // or registry entries): checks every batch first (content, then expected version against the
  // stream as the call's earlier batches leave it), records a refusal in its slot of `results`,
  // and writes the rest with one read of all streams, one INSERT of the new streams, one UPDATE of
  // the others and multi-row INSERTs of all events: a handful of round trips for the whole call.
  static bool events_only(const std::vector<CommitBatch>& batches);
  void write_many(std::vector<CommitBatch>& batches, std::vector<std::optional<EngineError>>& results);
  // Takes the append lock now (write() takes it before its first write otherwise). A lock taken
  // inside a SAVEPOINT is released when that savepoint rolls back: a caller that writes several
  // batches with a savepoint each takes it first, outside them.
  void lock();

 private:
  struct Stream;
  void check_and_render(const CommitBatch& batch);
  Stream read_stream(const std::string& sid);
  void insert_events(const CommitBatch& batch, std::int64_t key, std::uint64_t actual, std::int64_t first_position);
  // One event row's 15 parameters, in kInsertEvents's column order.
  void add_event_row(const EventEnvelope& e, std::int64_t key, std::uint64_t sequence, const std::string& payload,
                     std::int64_t position);
  void insert_outbox(const CommitBatch& batch, std::int64_t key, std::int64_t last_position, std::int64_t now);
  void upsert_deadlines(const CommitBatch& batch, std::int64_t key, bool new_stream, std::int64_t now);
  void insert_registrations(const CommitBatch& batch, std::int64_t key, const Uuid& tenant, const Uuid& process,
                            std::int64_t now);

  Connection& c_;
  std::int64_t lock_key_;
  bool locked_ = false;
  bool started_ = false;
  // JSON texts of the batch: the events' payloads, then the messages', then the deadlines' commands.
  std::vector<std::string> texts_;
  std::vector<std::string> keys_;  // the messages' idempotency keys
  Params params_;
};

}  // namespace mako::postgres::detail
