#pragma once
// mako::WorkflowRuntime for workflows written in Python, and a wrapper that makes built-in C++
// workflows interruptible with Ctrl-C. Load, fold, append, retry and snapshots stay in ProcessCore;
// this class only crosses into Python for initial_state/apply/handle/upcast and state <-> JSON.
//
// The Python workflow protocol (attributes looked up once, when the runtime is created):
//   initial_state() -> state                     required
//   apply(state, event) -> new state             required; must not return None
//   handle(state, command) -> list of events | WorkflowOutput | None; raise WorkflowError to refuse
//   upcast(event_type, schema_version, payload) -> payload               optional
//   status(state) -> str                                                  optional: the process's status
//   state_schema_version: int (default 1)                                 optional
//   event_types: iterable of classes or {type name: class}                optional: apply receives
//       cls(**data) (cls() for unit events) for those types instead of the payload dict
//   event_schema_versions: {type name: int}                               optional
//   state_to_json(state) -> JSON value, state_from_json(json) -> state     optional; defaults: dataclass
//       states via dataclasses.asdict / state_type(**json) (state_type defaults to the class of
//       initial_state() when that is a dataclass), other states as plain JSON values
// Events are dicts {"type": str, "data": {...}} ("data" absent for unit events) or dataclass
// instances (type: the class attribute `event_type` if set, else the class name; data: asdict).
#include <cstdint>
#include <string>
#include <unordered_map>

#include <pybind11/pybind11.h>

#include <mako/core/workflow_runtime.hpp>

namespace mako::py {

namespace pyb = pybind11;

class PyWorkflowRuntime final : public WorkflowRuntime {
 public:
  struct Box final : StateBox {
    explicit Box(pyb::object v) : value(std::move(v)) {}
    ~Box() override;
    pyb::object value;
  };

  // GIL held.
  explicit PyWorkflowRuntime(pyb::object workflow);
  ~PyWorkflowRuntime() override;

  std::unique_ptr<StateBox> initial_state() const override;
  std::unique_ptr<StateBox> clone_state(const StateBox& state) const override;
  void apply(StateBox& state, const EventEnvelope& event) const override;
  ErasedOutput handle_json(const StateBox& state, const Json& command) const override;
  // Decides on a Python command object (no JSON round trip). Takes the GIL.
  ErasedOutput handle_py(const StateBox& state, pyb::handle command) const;

  // Calls the workflow's optional status(state) (GIL taken); nullopt without one or when it returns None.
  std::optional<std::string> status(const StateBox& state) const override;
  std::uint32_t state_schema_version() const override { return state_schema_version_; }
  Json state_to_json(const StateBox& state) const override;
  std::unique_ptr<StateBox> state_from_json(const Json& json) const override;

  // GIL held.
  const pyb::object& workflow() const { return workflow_; }
  static const pyb::object& value_of(const StateBox& box) { return static_cast<const Box&>(box).value; }

 private:
  ErasedOutput to_output(pyb::handle result) const;
  NewEvent to_event(pyb::handle event, Py_ssize_t index) const;
  pyb::object decode_event(const std::string& type, pyb::object payload) const;

  pyb::object workflow_, initial_state_, apply_, handle_, upcast_, status_, state_to_json_, state_from_json_,
      state_type_;
  std::unordered_map<std::string, pyb::object> event_types_;
  std::unordered_map<std::string, std::uint32_t> event_schema_versions_;
  std::uint32_t state_schema_version_ = 1;
};

// Wraps a built-in C++ runtime: every 4096 applies (a long replay with the GIL released) it takes
// the GIL briefly and runs pending signal handlers, so Ctrl-C interrupts the replay.
class InterruptibleRuntime final : public WorkflowRuntime {
 public:
  explicit InterruptibleRuntime(std::shared_ptr<const WorkflowRuntime> inner) : inner_(std::move(inner)) {}
  std::unique_ptr<StateBox> initial_state() const override { return inner_->initial_state(); }
  std::unique_ptr<StateBox> clone_state(const StateBox& s) const override { return inner_->clone_state(s); }
  void apply(StateBox& state, const EventEnvelope& event) const override;
  ErasedOutput handle_json(const StateBox& s, const Json& c) const override { return inner_->handle_json(s, c); }
  std::optional<std::string> status(const StateBox& s) const override { return inner_->status(s); }
  std::uint32_t state_schema_version() const override { return inner_->state_schema_version(); }
  Json state_to_json(const StateBox& s) const override { return inner_->state_to_json(s); }
  std::unique_ptr<StateBox> state_from_json(const Json& j) const override { return inner_->state_from_json(j); }

 private:
  std::shared_ptr<const WorkflowRuntime> inner_;
};

}  // namespace mako::py
