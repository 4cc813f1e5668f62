#pragma once
// Metadata a caller attaches to a command; stamped onto every event it produces.
#include <optional>

#include "mako/core/format_version.hpp"
#include "mako/core/ids.hpp"

namespace mako {

struct CommandContext {
  std::optional<CorrelationId> correlation_id;    // fresh per command when absent
  std::optional<CausationId> causation_id;        // null in the envelope when absent
  std::optional<ConversationId> conversation_id;  // the process's conversation when absent
  // When set, must match the process; a mismatch is refused (guards against routing mistakes).
  std::optional<TenantId> tenant_id;
  std::optional<WorkflowId> workflow_id;

  CommandContext& with_correlation(CorrelationId id) {
    correlation_id = id;
    return *this;
  }
  CommandContext& with_causation(CausationId id) {
    causation_id = id;
    return *this;
  }
  CommandContext& with_conversation(ConversationId id) {
    conversation_id = id;
    return *this;
  }
  CommandContext& with_tenant(TenantId id) {
    tenant_id = id;
    return *this;
  }
  CommandContext& with_workflow(WorkflowId id) {
    workflow_id = std::move(id);
    return *this;
  }
};

}  // namespace mako
