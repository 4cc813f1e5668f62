#pragma once
// Writes CommitBatches — events, stream versions, outbox messages, deadlines, registry entries —
// inside the caller's write transaction. One CommitWriter lives for one
// transaction: it caches the streams it touched and the next global position, which only this
// transaction can change while it holds SQLite's write lock. Throws EngineError; the caller rolls back.
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "connection.hpp"
#include "event_rows.hpp"
#include "mako/core/event_store.hpp"

namespace mako::sqlite::detail {

// What the writer connection knows about streams and the log, kept from one of its commits to the
// next: valid as long as no other connection committed since (PRAGMA data_version, checked at the
// start of every write). Writes of this connection keep it valid: the runtime stores write other
// tables, a rollback drops it (Database::Unit, WriteTransaction), and the one other writer of
// `streams` rows (SqliteProcessRegistry::register_key) drops it too.
struct CommitStream {
  StreamRow row;
  std::uint64_t stored_version = 0;  // the version in the streams table
  bool dirty = false;                // written in this transaction, version not yet flushed
};
struct CommitCache {
  std::unordered_map<std::string, CommitStream> streams;
  std::int64_t next_position = 0;  // 0: not read yet
  std::int64_t data_version = -1;
};

// Drops the connection's cache if another connection committed since it was made; returns the
// current PRAGMA data_version (asked once per unit of work).
std::int64_t check_commit_cache(Connection& c);
// The version of `stream` as the writer's valid cache knows it (inside a unit of work only).
std::optional<std::uint64_t> cached_stream_version(Connection& c, const std::string& stream);

class CommitWriter {
 public:
  // Call inside the write transaction (after BEGIN IMMEDIATE): takes over the connection's cache
  // when it is still valid.
  explicit CommitWriter(Connection& c);
  // Checks the expected version, assigns sequence numbers and global positions to batch.events in
  // place and returns the stream's new version. On a throw, the writer's caches are unchanged (the
  // caller rolls the batch back to its savepoint).
  std::uint64_t write(CommitBatch& batch);
  // Whether the last write() had begun writing when it threw: only then does a refused batch need
  // rolling back (a savepoint); a batch refused before (version conflict, invalid content) wrote nothing.
  bool started() const { return started_; }
  // Writes the new versions of the streams written since the last flush. Call before COMMIT.
  void flush();
  // Call after COMMIT: hands the caches back to the connection for the next transaction. Without
  // it (a rollback) the connection starts the next transaction with an empty cache.
  void committed();

 private:
  using Stream = CommitStream;
  // The identity the stream has after the batch (its own, or the first event's for a new one).
  struct Identity {
    const TenantId* tenant;
    const ProcessId* process;
    const WorkflowId* workflow;
  };
  // The sections of write(), in order.
  void check_and_serialise(const CommitBatch& batch, const Identity& id);
  std::int64_t write_stream_row(const CommitBatch& batch, const StreamRow& row, bool takes_identity, std::int64_t now);
  void insert_events(const CommitBatch& batch, std::int64_t key, std::uint64_t version, std::int64_t position,
                     const Identity& id);
  void insert_outbox(const CommitBatch& batch, std::int64_t key, std::uint64_t last_position, std::int64_t now);
  void upsert_deadlines(const CommitBatch& batch, std::int64_t key, std::int64_t now);
  void insert_registrations(const CommitBatch& batch, std::int64_t key, const Identity& id, std::int64_t now);
  Stream load_stream(const std::string& stream_id);
  std::int64_t next_position();
  // Serialises `value` as the batch's next text; `what()` names it in the error.
  template <class Value, class What>
  void dump_json(const Value& value, const What& what);
  std::string_view text(std::size_t i) const;

  Connection& c_;
  CommitCache cache_;
  std::vector<Stream*> dirty_;  // streams written since the last flush
  // The batch's serialised texts (payloads, message payloads, deadline commands), in one reused buffer.
  std::string text_buffer_;
  std::vector<std::pair<std::size_t, std::size_t>> texts_;  // offset, size in text_buffer_
  std::vector<std::string> keys_;                           // outbox idempotency keys
  bool started_ = false;
};

}  // namespace mako::sqlite::detail
