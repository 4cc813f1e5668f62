#pragma once
// Writes one CommitBatch — events, stream version, outbox messages, deadlines, registry entries —
// inside the caller's write transaction (or savepoint). Throws EngineError; the caller rolls back.
#include <string>

#include "connection.hpp"
#include "mako/core/event_store.hpp"

namespace mako::sqlite::detail {

class CommitWriter {
 public:
  explicit CommitWriter(Connection& c) : c_(c) {}
  // Checks the expected version, assigns sequence numbers and global positions to batch.events in
  // place and returns the stream's new version.
  std::uint64_t write(CommitBatch& batch);

 private:
  Connection& c_;
  std::string payload_;  // reused serialisation buffer
};

}  // namespace mako::sqlite::detail
