#pragma once
// A unit of work: the writes one thread makes between begin and commit() land together.
//
// A service loop that does many small writes per round (claim deadlines, record an inbox key,
// execute commands, mark outbox items sent) pays one commit — one WAL append, one lock round trip,
// and in durable mode one fsync — per round instead of one per write, and a crash mid-round leaves
// none of the round's writes behind. Stores with transactions (SQLite) run every write of the
// owning thread inside one transaction until commit(); reads by that thread see the unit's own
// writes; other threads' writes wait for the unit to end. A unit destroyed without commit() rolls
// back. Units nest (UnitNesting): an inner unit is a savepoint of the outer one, or joins it.
//
// Stores without transactions (in memory) commit each write as it happens; their unit only marks
// the boundary. Callers therefore make external side effects that must not outlive a rolled-back
// write (settling a received file) only after commit().
#include <memory>

namespace mako {

// How a unit begun inside an open one nests (outside any unit, both are an ordinary unit).
enum class UnitNesting {
  // A savepoint: rolling it back undoes its writes only, and the outer unit goes on.
  Savepoint,
  // Part of the outer unit, at no cost of its own. Rolling it back after it wrote something makes
  // the outer unit rollback-only: its further writes and its commit() are refused until it is
  // rolled back too. For code whose failures end the outer unit anyway (a pump round, a received
  // file, a fired deadline rethrow what they cannot handle).
  Join,
};

class WorkUnit {
 public:
  virtual ~WorkUnit() = default;
  // Makes the unit's writes permanent (for the outermost unit: one commit of the store).
  virtual void commit() = 0;
};

// The unit of stores without transactions: every write was already committed.
class ImmediateWorkUnit final : public WorkUnit {
 public:
  void commit() override {}
};

}  // namespace mako
