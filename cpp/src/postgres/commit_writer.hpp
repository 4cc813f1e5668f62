#pragma once
// Writes CommitBatches -- events, stream versions, outbox messages, deadlines and registry entries
// -- inside the caller's transaction: what a commit asks the services to do is visible exactly when
// its events are, and rolls back with them.
//
// Global order without holes: positions come from reserve_positions() (schema.cpp, version 4),
// called with the batch's writes. It hands out consecutive positions under a session advisory lock
// (Database::append_lock_key) held only while it does so, and first takes the transaction's
// reservation lock, which PostgreSQL releases only after the commit is visible. Commits therefore
// overlap (their WAL flushes join in one group commit), and a reader of read_all(after) reads only
// up to log_horizon(): below every position of a transaction still open. So a reader that has
// seen position P never later finds a commit below P. Positions increase but may skip numbers: a
// rolled-back transaction's positions are not handed out again.
//
// Concurrent commits to one stream: the first statement of a batch locks its stream's row
// (SELECT ... FOR UPDATE) until the commit, so the second waits and then checks its expected
// version against what the first left. A new stream's row is inserted ON CONFLICT DO NOTHING: a
// commit that created it concurrently wins and the batch is checked again. A deadline row it
// re-arms is locked FOR UPDATE NOWAIT first: a scheduler firing that deadline holds the row and
// appends to the same stream next, so this batch fails (Busy) at once rather than close a deadlock.
#include <cstdint>
#include <functional>
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

 private:
  struct Stream;
  void check_and_render(const CommitBatch& batch);
  Stream read_stream(const std::string& sid);
  // Queues the reservation of `count` positions; `assign(last)` runs when its result arrives.
  void reserve(std::size_t count, std::function<void(std::int64_t)> assign);
  void insert_events(const CommitBatch& batch, std::int64_t key, std::uint64_t actual);
  // One event row's 15 parameters, in kInsertEvents's column order. Its position is given as its
  // distance below the reservation's last position (the session's currval('event_positions')).
  void add_event_row(const EventEnvelope& e, std::int64_t key, std::uint64_t sequence, const std::string& payload,
                     std::int64_t below_last);
  void insert_outbox(const CommitBatch& batch, std::int64_t key, std::int64_t now);
  void upsert_deadlines(const CommitBatch& batch, std::int64_t key, bool new_stream, std::int64_t now);
  void insert_registrations(const CommitBatch& batch, std::int64_t key, const Uuid& tenant, const Uuid& process,
                            std::int64_t now);

  Connection& c_;
  std::int64_t lock_key_;
  bool started_ = false;
  // JSON texts of the batch: the events' payloads, then the messages', then the deadlines' commands.
  std::vector<std::string> texts_;
  std::vector<std::string> keys_;  // the messages' idempotency keys
  Params params_;
};

}  // namespace mako::postgres::detail
