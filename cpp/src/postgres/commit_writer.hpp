#pragma once
// Writes CommitBatches -- events and stream versions -- inside the caller's transaction.
//
// Global order without holes: before it reads the stream's version and the last position, the first
// batch of a transaction takes the append lock, pg_advisory_xact_lock(key) with key = "mako" in the
// high 32 bits and the events table's OID in the low ones (Database::append_lock_key), held until
// the transaction ends. Appends therefore run one at a time and commit in
// the order of their positions (max(position) + 1 ...), and PostgreSQL makes a commit visible before
// it releases the transaction's locks: a reader of read_all(after) that has seen position P never
// later finds a commit below P. (A sequence alone would not do: a slow transaction can commit a
// lower number after a faster one committed a higher one.) Reads take no lock.
#include <cstdint>
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
  std::uint64_t write(CommitBatch& batch);
  bool started() const { return started_; }
  // Takes the append lock now (write() takes it before its first write otherwise). A lock taken
  // inside a SAVEPOINT is released when that savepoint rolls back: a caller that writes several
  // batches with a savepoint each takes it first, outside them.
  void lock();

 private:
  Connection& c_;
  std::int64_t lock_key_;
  bool locked_ = false;
  bool started_ = false;
  std::vector<std::string> payloads_;
  Params params_;
};

// The error for a batch carrying what this store does not hold yet (outbox messages, deadlines,
// registry entries), or nothing when it carries none: such a batch is refused whole, never written
// without them.
std::optional<EngineError> unsupported_parts(const CommitBatch& batch, const std::string& label);

}  // namespace mako::postgres::detail
