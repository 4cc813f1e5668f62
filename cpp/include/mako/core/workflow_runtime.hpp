#pragma once
// The one interface the process machinery drives. A typed C++ workflow implements it through
// TypedWorkflowRuntime<W>; the Python bindings implement it for Python classes. Load, fold, handle,
// append, retry and snapshot logic live once, in ProcessCore, on top of this.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "mako/core/command_context.hpp"
#include "mako/core/event_envelope.hpp"
#include "mako/core/json.hpp"
#include "mako/core/workflow_output.hpp"

namespace mako {

// Opaque folded state owned by a runtime.
struct StateBox {
  virtual ~StateBox() = default;
};

class WorkflowRuntime {
 public:
  virtual ~WorkflowRuntime() = default;

  virtual std::unique_ptr<StateBox> initial_state() const = 0;
  virtual std::unique_ptr<StateBox> clone_state(const StateBox& state) const = 0;
  // Applies one stored event, upcasting old schema versions first. The only decoding path.
  virtual void apply(StateBox& state, const EventEnvelope& event) const = 0;
  // Decides on a command given as JSON (for callers without the C++ command type, e.g. Python
  // driving a built-in workflow). Throws WorkflowError to refuse.
  virtual ErasedOutput handle_json(const StateBox& state, const Json& command) const = 0;

  // The process's status as the workflow names it ("confirmed", "awaiting answer", ...), for
  // analysts' views; nullopt when the workflow defines no status.
  virtual std::optional<std::string> status(const StateBox&) const { return std::nullopt; }

  virtual std::uint32_t state_schema_version() const { return 1; }
  virtual Json state_to_json(const StateBox& state) const = 0;
  virtual std::unique_ptr<StateBox> state_from_json(const Json& json) const = 0;
};

}  // namespace mako
