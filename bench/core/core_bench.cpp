// In-memory engine benchmark: command cost on fresh processes, execute cost against stream length
// (warm handle vs a cold handle that must replay), and replay throughput into a C++ workflow.
// Usage: bench_core [results.md]  (appends a markdown section)
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <vector>

#include <mako/core/engine.hpp>

#include <mako/core/lifecycle_workflow.hpp>
#include "counter_workflow.hpp"

using namespace mako;
using SteadyClock = std::chrono::steady_clock;

namespace {
using Counter = counter::Workflow;

const WorkflowId kWf("counter", "FV2025-10-01");

template <class F>
double seconds(F&& f) {
  auto t0 = SteadyClock::now();
  f();
  return std::chrono::duration<double>(SteadyClock::now() - t0).count();
}

// Best of `runs`, to keep scheduler noise out of the figure.
template <class F>
double best(int runs, F&& f) {
  double b = 1e30;
  for (int i = 0; i < runs; ++i) b = std::min(b, f());
  return b;
}
}  // namespace

int main(int argc, char** argv) {
  std::ostringstream out;
  out << "## Core engine, in-memory store (`bench_core`)\n\n| measurement | result |\n|---|---|\n";

  {  // fresh processes: spawn + one command each
    const int n = 200000;
    double t = best(3, [&] {
      auto ctx = EngineBuilder().build();
      TenantId tenant;
      return seconds([&] {
        for (int i = 0; i < n; ++i) {
          auto p = ctx.spawn<lifecycle::Workflow>(tenant, WorkflowId("lifecycle", "FV2025-10-01"));
          p.execute(lifecycle::Register{"MaLo"});
        }
      });
    });
    out << "| command on a fresh process (spawn + Register, 1 event) | " << t / n * 1e6 << " µs (" << n / t
        << " commands/s) |\n";
  }

  for (int length : {10, 100, 1000}) {
    // Each sample: a process with exactly `length` events (built untimed), then one timed execute,
    // once on the warm handle that wrote them and once on a cold handle that must replay first
    // (what the Rust crate does on every command).
    auto ctx = EngineBuilder().build();
    const int samples = length >= 1000 ? 300 : 2000;
    double warm = 0, cold = 0;
    for (int s = 0; s < samples; ++s) {
      auto p = ctx.spawn<Counter>(TenantId(), kWf);
      for (int i = 0; i < length; ++i) p.execute(Counter::Command{1});
      warm += seconds([&] { p.execute(Counter::Command{1}); });
      cold += seconds([&] { ctx.resume<Counter>(p.identity()).execute(Counter::Command{1}); });
    }
    out << "| execute on a " << length << "-event stream: warm handle / cold handle (full replay) | "
        << warm / samples * 1e6 << " µs / " << cold / samples * 1e6 << " µs |\n";
  }

  {  // replay into a C++ workflow
    auto ctx = EngineBuilder().build();
    auto p = ctx.spawn<Counter>(TenantId(), kWf);
    const int events = 1000000;
    for (int i = 0; i < events; ++i) p.execute(Counter::Command{1});
    long sink = 0;
    double t = best(5, [&] { return seconds([&] { sink += p.replay().value; }); });
    out << "| replay " << events << " events (typed events kept in memory) | " << t / events * 1e9 << " ns/event ("
        << events / t / 1e6 << " M events/s) |\n";
    // The JSON path: events that arrive without a native copy (as from a file) must be decoded.
    auto json_store = std::make_shared<InMemoryEventStore>();
    auto ctx2 = EngineBuilder().with_event_store(json_store).build();
    auto q = ctx2.spawn<Counter>(TenantId(), kWf);
    const int jevents = 200000;
    for (int i = 0; i < jevents; ++i) {
      CommitBatch b{q.stream_id(), ExpectedVersion::any(), {}, {}, {}, {}};
      auto& e = b.events.emplace_back();
      e.event_type = "Incremented";
      e.payload = Json{{"type", "Incremented"}, {"data", {{"by", 1}}}};
      json_store->append(b);
    }
    double tj = best(5, [&] { return seconds([&] { sink += q.replay().value; }); });
    out << "| replay " << jevents << " events decoded from JSON payloads | " << tj / jevents * 1e9 << " ns/event ("
        << jevents / tj / 1e6 << " M events/s) |\n";
    if (sink == 42) std::puts("");
  }
  out << "\n";
  std::cout << out.str();
  if (argc > 1) std::ofstream(argv[1], std::ios::app) << out.str();
}
