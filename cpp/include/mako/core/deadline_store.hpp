#pragma once
// Deadlines committed with their events, as the scheduler sees them. A deadline fires at most once:
// a scheduler must win claim() before it executes the command, and only one caller ever wins.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mako/core/ids.hpp"
#include "mako/core/json.hpp"
#include "mako/core/process_identity.hpp"
#include "mako/core/timestamp.hpp"

namespace mako {

enum class DeadlineStatus {
  Pending,    // waiting for its due time
  Claimed,    // a scheduler is firing it
  Fired,      // its command was executed
  Moot,       // its command was refused by the workflow (e.g. the step was answered in time)
  Failed,     // its command could not be executed (no such workflow, bad command, ...)
  Cancelled,  // cancelled before it fired
};
const char* deadline_status_name(DeadlineStatus status);
// The status a name of deadline_status_name() stands for; nullopt for any other text.
std::optional<DeadlineStatus> deadline_status_from_name(std::string_view name);

struct DeadlineItem {
  DeadlineItem(std::int64_t id_, StreamId stream, std::string name_)
      : id(id_), stream_id(std::move(stream)), name(std::move(name_)) {}

  std::int64_t id = 0;  // stable per (stream, name): scheduling the name again re-arms the same id
  StreamId stream_id;
  std::optional<ProcessIdentity> process;  // absent only for a stream that has no events yet
  std::string name;
  Timestamp due{};
  Json command;
  DeadlineStatus status = DeadlineStatus::Pending;
  std::optional<Timestamp> fired_at;  // when it was claimed
  std::string outcome;                // for Moot and Failed: why
  Timestamp created_at{};             // wall clock of the commit that first scheduled it (a re-arm keeps it)
};

// Which deadlines list() returns. An empty list matches everything; the values of one list are
// alternatives (OR), different fields must all match (AND). The stream fields are the stream's
// process identity (a deadline of a stream without events has none and matches only when they are empty).
struct DeadlineQuery {
  std::vector<TenantId> tenants;
  std::vector<std::string> workflows;  // workflow names
  std::vector<ProcessId> processes;
  std::vector<std::string> names;      // deadline names
  std::optional<Timestamp> due_since;  // due >= due_since
  std::optional<Timestamp> due_until;  // due < due_until

  // Whether `item` is one of the deadlines the query asks for.
  bool admits(const DeadlineItem& item) const;
};

class DeadlineStore {
 public:
  virtual ~DeadlineStore() = default;

  // Pending deadlines with due <= now, soonest first (ties in scheduling order), at most `limit`.
  virtual std::vector<DeadlineItem> due(Timestamp now, std::size_t limit) const = 0;
  // The due time of the soonest pending deadline, so a simulation can jump to it.
  virtual std::optional<Timestamp> next_due() const = 0;
  // Pending and due -> Claimed. True for exactly one caller, however many race for it.
  virtual bool claim(std::int64_t id, Timestamp now) = 0;
  // Claimed -> `outcome` (Fired, Moot or Failed) with a note. A deadline re-armed meanwhile (its
  // name scheduled again) stays pending. Returns whether it changed anything.
  virtual bool mark_fired(std::int64_t id, DeadlineStatus outcome, const std::string& note) = 0;
  // Claimed -> Pending: the command was not executed (a transient failure), so it may fire later.
  virtual bool release(std::int64_t id) = 0;
  // Pending -> Cancelled. False when there is no pending deadline of that name.
  virtual bool cancel(const StreamId& stream, const std::string& name) = 0;

  // Every pending deadline, soonest first.
  virtual std::vector<DeadlineItem> pending() const = 0;
  // Every deadline the query admits, in any status (the history: fired, moot, cancelled ...), by due
  // time, ties in scheduling order.
  virtual std::vector<DeadlineItem> list(const DeadlineQuery& query) const = 0;
  virtual std::optional<DeadlineItem> find(const StreamId& stream, const std::string& name) const = 0;
};

}  // namespace mako
