#pragma once
// Fires due deadlines: claims each (so it fires at most once, even with several schedulers), resumes
// the owning process and executes the deadline's JSON command through the workflow runtime
// registered under the process's workflow name. The command's events join the process's history.
// Time comes in as an argument, so a simulation can drive it with its own clock (see next_due()).
#include <cstddef>
#include <exception>
#include <optional>
#include <string>
#include <vector>

#include "mako/core/deadline_store.hpp"
#include "mako/core/engine.hpp"
#include "mako/core/workflow_registry.hpp"

namespace mako {

struct DeadlineSchedulerOptions {
  std::size_t batch_size = 100;  // deadlines read per round; run_due goes on until none is due
  unsigned max_attempts = 3;     // per command, for version conflicts with concurrent commands
};

struct FiredDeadline {
  DeadlineItem deadline;
  DeadlineStatus outcome = DeadlineStatus::Fired;  // Fired, Moot or Failed, or Pending when released
  std::string note;                                // why it was moot, failed or released
  std::vector<EventEnvelope> events;               // what the command appended (Fired only)
};

struct DeadlineRunReport {
  std::vector<FiredDeadline> results;  // one per deadline this scheduler claimed
  std::size_t lost_races = 0;          // due deadlines another scheduler claimed first
  std::size_t count(DeadlineStatus outcome) const;
};

class DeadlineScheduler {
 public:
  // `workflows` must outlive the scheduler (WorkflowRegistry::global() does).
  DeadlineScheduler(EngineContext engine, std::shared_ptr<DeadlineStore> store, const WorkflowRegistry& workflows,
                    DeadlineSchedulerOptions options = {});
  // Uses the engine's deadline store; throws EngineError(InvalidInput) when it has none.
  DeadlineScheduler(EngineContext engine, const WorkflowRegistry& workflows, DeadlineSchedulerOptions options = {});

  // Fires every deadline due at `now`, soonest first. A command the workflow refuses
  // (WorkflowError: e.g. the step was answered in time) is recorded as Moot and never retried; a
  // transient failure (version conflicts beyond max_attempts, a busy store) releases the deadline
  // for a later run, or is thrown when it broke the unit of work itself (a lost connection: the
  // claim rolls back with the unit); a failing store (I/O, corruption) is thrown with the deadline left pending;
  // anything else records it as Failed. Each deadline's claim, command and outcome are one unit
  // of work (work_unit.hpp; inside a caller's unit it joins that one).
  DeadlineRunReport run_due(Timestamp now);
  DeadlineRunReport run_due() { return run_due(engine_.now()); }

  // The soonest pending deadline's due time.
  std::optional<Timestamp> next_due() const { return store_->next_due(); }

 private:
  // By value: the result keeps it (no copy of its command). A transient failure (outcome Pending)
  // is kept in `transient`.
  FiredDeadline fire(DeadlineItem deadline, std::exception_ptr& transient);

  EngineContext engine_;
  std::shared_ptr<DeadlineStore> store_;
  const WorkflowRegistry& workflows_;
  DeadlineSchedulerOptions options_;
};

}  // namespace mako
