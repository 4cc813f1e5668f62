#pragma once
// The event store contract. Every store (in memory, SQLite) passes the same contract test suite.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "mako/core/errors.hpp"
#include "mako/core/event_envelope.hpp"
#include "mako/core/expected_version.hpp"
#include "mako/core/outbound_message.hpp"
#include "mako/core/stream_page.hpp"
#include "mako/core/work_unit.hpp"

namespace mako {

// Everything one command writes. Appended atomically: all of it or nothing.
struct CommitBatch {
  StreamId stream_id;
  ExpectedVersion expected = ExpectedVersion::any();
  std::vector<EventEnvelope> events;  // sequence_number and global_position are assigned by the store
  std::vector<OutboundMessage> messages;
  std::vector<DeadlineRequest> deadlines;
  std::vector<RegistryEntry> registrations;  // scoped to the stream's tenant and process
};

// The error every store throws for an event without a type (the batch's `index`th event): a
// nameless event could never be told apart from any other when read back.
EngineError empty_event_type(const StreamId& stream, std::size_t index);

class EventStore {
 public:
  using EventVisitor = std::function<void(const EventEnvelope&)>;
  virtual ~EventStore() = default;

  // Checks `batch.expected` against the stream's version, assigns sequence numbers (version+1 ...)
  // and global positions to batch.events in place, and commits. Returns the new stream version.
  // Throws EngineError(VersionConflict) on a mismatch; nothing is written then.
  virtual std::uint64_t append(CommitBatch& batch) = 0;

  // Bulk ingestion: commits many batches, each atomically on its own: a batch that fails (version
  // conflict, bad input) is reported in its slot and does not stop or undo the others. Stores that
  // can, commit all successful batches in one transaction. Slot i is empty when batches[i] committed.
  virtual std::vector<std::optional<EngineError>> append_many(std::vector<CommitBatch>& batches);

  // Events with sequence_number > after_sequence, in order. load(s) == load_from(s, 0).
  virtual std::vector<EventEnvelope> load_from(const StreamId& stream, std::uint64_t after_sequence) const = 0;
  std::vector<EventEnvelope> load(const StreamId& stream) const { return load_from(stream, 0); }

  // Visits events with sequence_number > after_sequence without materialising the stream. The
  // visitor must not call back into the store. Returns the number of events visited.
  virtual std::uint64_t fold_stream(const StreamId& stream, std::uint64_t after_sequence,
                                    const EventVisitor& visit) const = 0;

  // Number of events in the stream (0 when it does not exist). O(1).
  virtual std::uint64_t stream_version(const StreamId& stream) const = 0;

  // Stream ids starting with `prefix`, in byte order, after the cursor `after`, at most `limit`.
  virtual StreamPage list_streams(const std::string& prefix, const std::optional<std::string>& after,
                                  std::size_t limit) const = 0;

  // Events of all streams with global_position > after_position, in position order, at most
  // `limit`. A reader that has seen position P never later finds a commit below P: a store whose
  // commits overlap (PostgreSQL) returns only positions no open transaction can still fill.
  // Positions increase; they may skip numbers (a rolled-back transaction's, on PostgreSQL).
  virtual std::vector<EventEnvelope> read_all(std::uint64_t after_position, std::size_t limit) const = 0;

  // The highest global position read_all can return now (0 when empty).
  virtual std::uint64_t head_position() const = 0;

  // Starts a unit of work for the calling thread (work_unit.hpp): this store's writes and those of
  // the runtime stores it provides commit together. A store without transactions returns an
  // ImmediateWorkUnit. Pure, so that a decorating store cannot silently drop its inner store's units.
  virtual std::unique_ptr<WorkUnit> begin_work_unit(UnitNesting nesting = UnitNesting::Savepoint) = 0;

  // Releases what the store holds outside the process: a SQLite store writes its WAL back into the
  // database file (so the file alone holds everything), closes its connections and from then on
  // throws EngineError(InvalidInput) on every call; it also does so when destroyed. An in-memory
  // store holds nothing outside the process: there it does nothing. Idempotent. Pure for the same
  // reason as begin_work_unit: a decorating store must forward it.
  virtual void close() = 0;
};

}  // namespace mako
