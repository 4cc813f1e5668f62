#pragma once
// Writes CommitBatches — events, stream versions, outbox messages, deadlines, registry entries —
// inside the caller's write transaction. One CommitWriter lives for one
// transaction: it caches the streams it touched and the next global position, which only this
// transaction can change while it holds SQLite's write lock. Throws EngineError; the caller rolls back.
#include <string>
#include <unordered_map>
#include <vector>

#include "connection.hpp"
#include "event_rows.hpp"
#include "mako/core/event_store.hpp"

namespace mako::sqlite::detail {

class CommitWriter {
 public:
  explicit CommitWriter(Connection& c) : c_(c) {}
  // Checks the expected version, assigns sequence numbers and global positions to batch.events in
  // place and returns the stream's new version. On a throw, the writer's caches are unchanged (the
  // caller rolls the batch back to its savepoint).
  std::uint64_t write(CommitBatch& batch);
  // Whether the last write() had begun writing when it threw: only then does a refused batch need
  // rolling back (a savepoint); a batch refused before (version conflict, invalid content) wrote nothing.
  bool started() const { return started_; }
  // Writes the new versions of the streams written since the last flush. Call before COMMIT.
  void flush();

 private:
  struct Stream {
    StreamRow row;
    std::uint64_t stored_version = 0;  // the version in the streams table
  };
  Stream load_stream(const std::string& stream_id);
  std::int64_t next_position();

  Connection& c_;
  std::unordered_map<std::string, Stream> streams_;
  std::int64_t next_position_ = 0;  // 0: not read yet
  std::vector<std::string> texts_;  // reused serialisation buffers: payloads, message payloads, deadline commands
  std::vector<std::string> keys_;   // outbox idempotency keys
  bool started_ = false;
};

}  // namespace mako::sqlite::detail
