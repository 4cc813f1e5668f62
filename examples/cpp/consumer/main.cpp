// The smallest embedding: build an engine, run the lifecycle workflow, print its state.
#include <iostream>

#include <mako/core/engine.hpp>

#include "lifecycle_workflow.hpp"

int main() {
  auto ctx = mako::EngineBuilder().build();
  auto process = ctx.spawn<lifecycle::Workflow>(mako::TenantId(), mako::WorkflowId("lifecycle", "FV2025-10-01"));
  process.execute(lifecycle::Register{"consumer"});
  process.execute(lifecycle::Activate{});
  std::cout << "consumer: " << lifecycle::to_string(process.state().status) << " after " << process.event_count()
            << " events\n";
}
