// Process resumption, snapshots, retry and error handling with mako-engine.
//
//  1. EngineBuilder assembles the stores; spawn a process and drive it (Register, Activate).
//  2. take_snapshot + state_with_snapshot: rebuild state from a snapshot plus the tail.
//  3. Persist the ProcessIdentity as JSON and resume after a simulated restart.
//  4. execute_with: a CommandContext built from the process's own tenant and workflow ids.
//  5. execute_with_retry: version conflicts are retried with a reload.
//  6. Error classification: is_workflow_error / as_workflow_error / is_invalid_state.
#include <iostream>
#include <memory>

#include <mako/core/engine.hpp>
#include <mako/core/in_memory_snapshot_store.hpp>

#include <mako/core/lifecycle_workflow.hpp>

using namespace mako;

int main() {
  auto events = std::make_shared<InMemoryEventStore>();
  auto snapshots = std::make_shared<InMemorySnapshotStore>();
  auto ctx = EngineBuilder().with_event_store(events).with_snapshot_store(snapshots).build();

  std::cout << "== 1. spawn and execute ==\n";
  auto tenant = TenantId::from_party_id("9900467000000");
  auto process = ctx.spawn<lifecycle::Workflow>(tenant, WorkflowId("lifecycle", "FV2025-10-01"));
  std::cout << "spawned process " << process.process_id().to_string() << "\n"
            << "  tenant   " << process.tenant_id().to_string() << " (from MP-ID 9900467000000)\n"
            << "  workflow " << process.workflow_id().to_string() << "\n";
  for (const auto& e : process.execute(lifecycle::Register{"MaLo 41373559241"}))
    std::cout << "  #" << e.sequence_number << " " << e.event_type << " " << e.payload.json().dump() << "\n";
  for (const auto& e : process.execute(lifecycle::Activate{}))
    std::cout << "  #" << e.sequence_number << " " << e.event_type << " " << e.payload.json().dump() << "\n";
  auto state = process.state();
  std::cout << "state: " << lifecycle::to_string(state.status) << ", name '" << state.name << "', "
            << process.event_count() << " events\n";

  std::cout << "\n== 2. snapshots ==\n";
  bool saved = process.take_snapshot(*snapshots, 2);
  std::cout << "take_snapshot(interval=2) -> " << (saved ? "saved" : "not saved") << "\n";
  std::cout << "take_snapshot(interval=2) again -> " << (process.take_snapshot(*snapshots, 2) ? "saved" : "not saved")
            << " (no new events since)\n";
  process.execute(lifecycle::Deactivate{});
  auto from_snapshot = process.state_with_snapshot(*snapshots);
  std::cout << "state_with_snapshot: " << lifecycle::to_string(from_snapshot.status) << " (snapshot at #"
            << snapshots->load(process.stream_id())->sequence_number << " + 1 replayed event)\n";

  std::cout << "\n== 3. resume after a restart ==\n";
  const std::string saved_identity = process.identity().to_json_string();
  std::cout << "identity: " << saved_identity << "\n";
  auto resumed = ctx.resume<lifecycle::Workflow>(ProcessIdentity::from_json_string(saved_identity));
  std::cout << "resumed " << resumed.process_id().to_string() << ": " << lifecycle::to_string(resumed.state().status)
            << ", " << resumed.event_count() << " events\n";

  std::cout << "\n== 4. execute_with a command context ==\n";
  CommandContext context;
  context.with_tenant(resumed.tenant_id())
      .with_workflow(resumed.workflow_id())
      .with_correlation(CorrelationId::from_interchange_ref("A000123"));
  auto activated = resumed.execute_with(lifecycle::Activate{}, context);
  std::cout << "  #" << activated[0].sequence_number << " " << activated[0].event_type << " correlation "
            << activated[0].correlation_id->to_string() << " (from interchange A000123)\n";

  std::cout << "\n== 5. execute_with_retry ==\n";
  auto retried = resumed.execute_with_retry(lifecycle::Deactivate{}, 3);
  std::cout << "  #" << retried[0].sequence_number << " " << retried[0].event_type << " (up to 3 attempts)\n";

  std::cout << "\n== 6. error classification ==\n";
  auto fresh = ctx.spawn<lifecycle::Workflow>(tenant, WorkflowId("lifecycle", "FV2025-10-01"));
  try {
    fresh.execute(lifecycle::Activate{});
  } catch (const EngineError& e) {
    std::cout << "Activate on a process that was never registered:\n"
              << "  is_workflow_error:   " << std::boolalpha << e.is_workflow_error() << "\n"
              << "  is_version_conflict: " << e.is_version_conflict() << "\n";
    if (const WorkflowError* w = e.as_workflow_error())
      std::cout << "  is_invalid_state:    " << w->is_invalid_state() << " (expected " << w->expected() << ", actual "
                << w->actual() << ")\n";
  }
  std::cout << "\n"
            << events->head_position() << " events in the store, " << fresh.event_count()
            << " written by the refused command\n";
  return 0;
}
