#pragma once
// The events the store benchmarks write: the counter workflow's (tests/cpp/counter_workflow.hpp),
// one tenant, shaped as the engine writes them, and how they are timed. Shared by bench_sqlite and
// bench_postgres so that both stores are measured with the same rows, the same way.
#include <algorithm>
#include <chrono>

#include "mako/core/event_store.hpp"
#include "mako/core/ids.hpp"
#include "mako/core/timestamp.hpp"

namespace bench {

inline const mako::TenantId kTenant = mako::TenantId::from_party_id("9900123456789");
inline const mako::WorkflowId kWorkflow("counter", "FV2025-10-01");

inline double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// The shortest of `runs` runs of f(), in seconds.
template <class F>
double best_of(int runs, F&& f) {
  double best = 1e300;
  for (int i = 0; i < runs; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    f();
    best = std::min(best, seconds_since(t0));
  }
  return best;
}

// One event as the engine writes it for process `process`.
inline mako::EventEnvelope counter_event(const mako::ProcessId& process) {
  mako::EventEnvelope e;
  e.event_type = "Incremented";
  e.tenant_id = kTenant;
  e.process_id = process;
  e.workflow_id = kWorkflow;
  e.conversation_id = mako::ConversationId(process.uuid());
  e.correlation_id = mako::CorrelationId::generate();
  e.timestamp = mako::system_now();
  e.payload = mako::Json{{"type", "Incremented"}, {"data", {{"by", 1}}}};
  return e;
}

inline mako::CommitBatch commit_of(const mako::ProcessId& process, int events = 1) {
  mako::CommitBatch b{mako::StreamId::for_process(kTenant, process), mako::ExpectedVersion::any(), {}, {}, {}, {}};
  for (int i = 0; i < events; ++i) b.events.push_back(counter_event(process));
  return b;
}

}  // namespace bench
