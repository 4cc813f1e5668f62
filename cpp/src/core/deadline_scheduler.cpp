#include "mako/core/deadline_scheduler.hpp"

#include <algorithm>
#include <exception>

#include "mako/core/errors.hpp"

namespace mako {

std::size_t DeadlineRunReport::count(DeadlineStatus outcome) const {
  return static_cast<std::size_t>(
      std::count_if(results.begin(), results.end(), [&](const FiredDeadline& r) { return r.outcome == outcome; }));
}

DeadlineScheduler::DeadlineScheduler(EngineContext engine, std::shared_ptr<DeadlineStore> store,
                                     const WorkflowRegistry& workflows, DeadlineSchedulerOptions options)
    : engine_(std::move(engine)), store_(std::move(store)), workflows_(workflows), options_(options) {
  if (!store_) throw EngineError::invalid_input("DeadlineScheduler needs a deadline store");
  if (options_.batch_size == 0 || options_.max_attempts == 0)
    throw EngineError::invalid_input("DeadlineScheduler: batch_size and max_attempts must be >= 1");
}

DeadlineScheduler::DeadlineScheduler(EngineContext engine, const WorkflowRegistry& workflows,
                                     DeadlineSchedulerOptions options)
    : DeadlineScheduler(engine, engine.deadlines(), workflows, options) {}

DeadlineRunReport DeadlineScheduler::run_due(Timestamp now) {
  DeadlineRunReport report;
  for (;;) {
    auto batch = store_->due(now, options_.batch_size);
    bool released = false;
    for (DeadlineItem& deadline : batch) {
      // Claim, command and outcome in one unit of work: a crash after the claim cannot leave the
      // deadline claimed but never fired (with SQLite the claim rolls back with the rest), and a
      // racing scheduler on the same file waits for the unit, then loses the claim.
      // Inside a caller's unit it joins that one: what fails here is rethrown and ends it anyway.
      auto unit = engine_.begin_work_unit(UnitNesting::Join);
      const std::int64_t id = deadline.id;
      if (!store_->claim(id, now)) {
        unit->commit();
        ++report.lost_races;
        continue;
      }
      std::exception_ptr transient;
      FiredDeadline result = fire(std::move(deadline), transient);  // the batch is done with it
      if (result.outcome == DeadlineStatus::Pending) {
        try {
          store_->release(id);
        } catch (const EngineError& e) {
          // The transient failure broke the unit itself (PostgreSQL: its connection was lost, or
          // its transaction aborted): the release cannot be written, but the claim rolls back with
          // the unit. Passed on as the transient error it was, so the caller retries the run.
          if (!transient || !e.is_store_failure()) throw;
          std::rethrow_exception(transient);
        }
        released = true;
      } else {
        store_->mark_fired(id, result.outcome, result.note);
      }
      unit->commit();
      report.results.push_back(std::move(result));
    }
    // A full batch may have more behind it; a released deadline would come straight back, so
    // this run stops there and a later one retries it.
    if (batch.size() < options_.batch_size || released) break;
  }
  return report;
}

FiredDeadline DeadlineScheduler::fire(DeadlineItem item, std::exception_ptr& transient) {
  FiredDeadline result{std::move(item), DeadlineStatus::Fired, {}, {}};
  const DeadlineItem& deadline = result.deadline;
  auto fail = [&](DeadlineStatus outcome, std::string note) {
    result.outcome = outcome;
    result.note = std::move(note);
    return std::move(result);  // fire returns it at once: moved, not copied
  };
  if (!deadline.process)
    return fail(DeadlineStatus::Failed, "stream '" + deadline.stream_id.str() + "' has no process identity");
  const std::string& workflow = deadline.process->workflow_id.name();
  if (!workflows_.contains(workflow))
    return fail(DeadlineStatus::Failed, "no workflow registered as '" + workflow + "'");
  try {
    auto runtime = workflows_.get(workflow);
    auto process = engine_.resume(runtime, *deadline.process);
    const Json& command = deadline.command;
    result.events =
        process->execute_with_retry([&](const StateBox& state) { return runtime->handle_json(state, command); },
                                    CommandContext{}, options_.max_attempts);
    return result;
  } catch (const EngineError& e) {
    if (e.is_workflow_error()) return fail(DeadlineStatus::Moot, e.what());
    if (e.is_transient()) {
      transient = std::current_exception();
      return fail(DeadlineStatus::Pending, e.what());
    }
    // The store itself failed (I/O, corrupt page, interrupted): not the deadline's fault. Thrown,
    // so the claim rolls back with the unit and a later run fires it.
    if (e.is_store_failure()) throw;
    return fail(DeadlineStatus::Failed, e.what());
  } catch (const WorkflowError& e) {
    return fail(DeadlineStatus::Moot, e.what());
  } catch (const std::exception& e) {
    return fail(DeadlineStatus::Failed, e.what());
  }
}

}  // namespace mako
