// A workflow of your own, run on in-memory stores and on a SQLite file (the README's C++ example).
#include <iostream>
#include <vector>

#include <mako/core/engine.hpp>
#include <mako/sqlite/sqlite_store.hpp>

namespace reading {  // meter readings of one market location, summed up

struct State {
  long total_kwh = 0;
};
struct Event {
  long kwh = 0;
  const char* event_type() const { return "Recorded"; }
};
struct Command {
  long kwh = 0;
};

// Events and state as JSON ({"type", "data"}): how they are stored, snapshotted and shown.
inline void to_json(mako::Json& j, const Event& e) { j = {{"type", "Recorded"}, {"data", {{"kwh", e.kwh}}}}; }
inline void from_json(const mako::Json& j, Event& e) { e.kwh = j.at("data").at("kwh").get<long>(); }
inline void to_json(mako::Json& j, const State& s) { j = {{"total_kwh", s.total_kwh}}; }
inline void from_json(const mako::Json& j, State& s) { s.total_kwh = j.at("total_kwh").get<long>(); }

struct Workflow {
  using State = reading::State;
  using Event = reading::Event;
  using Command = reading::Command;
  void apply(State& s, const Event& e) const { s.total_kwh += e.kwh; }  // fold an event into the state
  std::vector<Event> handle(const State&, const Command& c) const {     // decide what a command means
    if (c.kwh < 0) throw mako::WorkflowError::validation("a reading must not be negative");
    return {Event{c.kwh}};
  }
};

}  // namespace reading

int main() {
  const auto tenant = mako::TenantId::from_party_id("9900467000000");  // the market partner's MP-ID
  const mako::WorkflowId workflow("reading", "FV2025-10-01");

  auto ctx = mako::EngineBuilder().build();  // in-memory stores
  auto p = ctx.spawn<reading::Workflow>(tenant, workflow);
  p.execute(reading::Command{1200});
  p.execute(reading::Command{340});
  std::cout << "in memory: " << p.state().total_kwh << " kWh after " << p.event_count() << " events\n";

  auto store = mako::sqlite::SqliteStore::open("mako.sqlite");  // durable: WAL + synchronous=FULL
  auto durable = mako::EngineBuilder().with_event_store(store).with_snapshot_store(store->snapshots()).build();
  auto q = durable.spawn<reading::Workflow>(tenant, workflow);
  q.execute(reading::Command{500});
  const std::string saved = q.identity().to_json_string();  // persist it; after a restart:
  auto resumed = durable.resume<reading::Workflow>(mako::ProcessIdentity::from_json_string(saved));
  std::cout << "resumed from mako.sqlite: " << resumed.state().total_kwh << " kWh\n";
  try {
    resumed.execute(reading::Command{-5});
  } catch (const mako::EngineError& e) {
    std::cout << "refused: " << e.what() << "\n";  // e.is_workflow_error(), e.as_workflow_error()
  }
}
