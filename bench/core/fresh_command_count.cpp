// N commands on fresh processes (bench_core's first row) for instruction counting under callgrind;
// see count_instructions.sh. Exits without tearing the engine down, as bench_core does not time it.
// Usage: fresh_command_count N
#include <cstdio>
#include <cstdlib>

#include <mako/core/engine.hpp>

#include <mako/core/lifecycle_workflow.hpp>

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::atoi(argv[1]) : 10000;
  auto ctx = mako::EngineBuilder().build();
  mako::TenantId tenant;
  for (int i = 0; i < n; ++i) {
    auto p = ctx.spawn<lifecycle::Workflow>(tenant, mako::WorkflowId("lifecycle", "FV2025-10-01"));
    p.execute(lifecycle::Register{"MaLo"});
  }
  std::fflush(nullptr);
  std::_Exit(0);
}
