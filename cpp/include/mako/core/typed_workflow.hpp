#pragma once
// The C++ workflow model and its adapter onto WorkflowRuntime.
//
// A workflow type W names State, Event and Command and provides
//   State initial_state() const                  (optional; default: State{})
//   void apply(State&, const Event&) const  or  State apply(State, const Event&) const
//   Out handle(const State&, const Command&) const, Out = std::vector<Event> or WorkflowOutput<Event>;
//                                                  throws WorkflowError to refuse
//   Json upcast(std::string_view type, uint32_t schema_version, Json payload) const   (optional)
//   uint32_t state_schema_version() const        (optional; default 1)
//   std::string status(const State&) const       (optional; the status analysts see, e.g. "confirmed";
//                                                 without it a process's status is unknown)
// Events provide event_type() and schema_version() (optional; default 1); Event and State convert to
// and from mako::Json (nlohmann to_json/from_json), events in the {"type", "data"} shape.
#include <concepts>
#include <string>
#include <type_traits>
#include <utility>

#include "mako/core/errors.hpp"
#include "mako/core/workflow_runtime.hpp"

namespace mako {

template <class W>
concept Workflow = requires(const W& w, const typename W::State& s, const typename W::Command& c) {
  typename W::State;
  typename W::Event;
  typename W::Command;
  { w.handle(s, c) };
};

namespace detail {
template <class E>
std::uint32_t event_schema_version(const E& e) {
  if constexpr (requires {
                  { e.schema_version() } -> std::convertible_to<std::uint32_t>;
                }) {
    return e.schema_version();
  } else {
    return 1;
  }
}
}  // namespace detail

template <Workflow W>
class TypedWorkflowRuntime final : public WorkflowRuntime {
 public:
  using State = typename W::State;
  using Event = typename W::Event;
  using Command = typename W::Command;

  struct Box final : StateBox {
    explicit Box(State s) : value(std::move(s)) {}
    State value;
  };

  explicit TypedWorkflowRuntime(W workflow = W{}) : workflow_(std::move(workflow)) {}

  const W& workflow() const { return workflow_; }
  // Identifies Event for NativeEvent: one address per instantiation.
  static const void* native_tag() {
    static const char tag = 0;
    return &tag;
  }

  // The event kept natively; its JSON is rendered only if somebody reads the payload.
  struct NativeBox final : NativeEvent {
    explicit NativeBox(Event e) : NativeEvent(native_tag()), value(std::move(e)) {}
    Event value;

   private:
    Json render() const override { return Json(value); }
    // An event type with an ADL `to_json_text(std::string&, const Event&)` (appending exactly
    // Json(value).dump()) is stored without building its mako::Json.
    bool render_text(std::string& out) const override {
      if constexpr (requires { to_json_text(out, value); }) {
        to_json_text(out, value);
        return true;
      } else {
        return false;
      }
    }
  };

  static const State& state_of(const StateBox& box) { return static_cast<const Box&>(box).value; }

  std::unique_ptr<StateBox> initial_state() const override {
    if constexpr (requires {
                    { workflow_.initial_state() } -> std::convertible_to<State>;
                  }) {
      return std::make_unique<Box>(workflow_.initial_state());
    } else {
      return std::make_unique<Box>(State{});
    }
  }

  std::unique_ptr<StateBox> clone_state(const StateBox& state) const override {
    return std::make_unique<Box>(state_of(state));
  }

  void apply_event(State& state, const Event& event) const {
    if constexpr (requires(State& s) {
                    workflow_.apply(s, event);
                    requires std::is_void_v<decltype(workflow_.apply(s, event))>;
                  }) {
      workflow_.apply(state, event);
    } else {
      state = workflow_.apply(std::move(state), event);
    }
  }

  void apply(StateBox& box, const EventEnvelope& envelope) const override {
    State& state = static_cast<Box&>(box).value;
    if (const NativeEvent* native = envelope.payload.native(); native && native->tag() == native_tag()) {
      apply_event(state, static_cast<const NativeBox*>(native)->value);
      return;
    }
    apply_event(state, decode(envelope.event_type, envelope.schema_version, envelope.payload.json()));
  }

  Event decode(const std::string& type, std::uint32_t schema_version, const Json& payload) const {
    try {
      if constexpr (requires {
                      { workflow_.upcast(type, schema_version, payload) } -> std::convertible_to<Json>;
                    }) {
        return workflow_.upcast(type, schema_version, payload).template get<Event>();
      } else {
        return payload.template get<Event>();
      }
    } catch (const Json::exception& e) {
      throw EngineError(EngineError::Kind::Serialization, "cannot decode event '" + type + "' (schema version " +
                                                              std::to_string(schema_version) + "): " + e.what());
    }
  }

  NewEvent encode(Event event) const {
    NewEvent out;
    out.event_type = std::string(event.event_type());
    out.schema_version = detail::event_schema_version(event);
    out.payload = EventPayload(std::make_shared<const NativeBox>(std::move(event)));
    return out;
  }

  ErasedOutput decide(const State& state, const Command& command) const {
    WorkflowOutput<Event> typed{workflow_.handle(state, command)};
    ErasedOutput out;
    out.events.reserve(typed.events.size());
    for (auto& e : typed.events) out.events.push_back(encode(std::move(e)));
    out.messages = std::move(typed.messages);
    out.deadlines = std::move(typed.deadlines);
    out.registrations = std::move(typed.registrations);
    return out;
  }

  ErasedOutput handle_json(const StateBox& state, const Json& command) const override {
    if constexpr (requires { command.template get<Command>(); }) {
      Command typed;
      try {
        typed = command.template get<Command>();
      } catch (const Json::exception& e) {
        throw EngineError::invalid_input(std::string("command does not match the workflow's Command type: ") +
                                         e.what());
      }
      return decide(state_of(state), typed);
    } else {
      throw WorkflowError::not_implemented("this workflow's Command type has no JSON conversion");
    }
  }

  std::optional<std::string> status(const StateBox& state) const override {
    if constexpr (requires {
                    { workflow_.status(state_of(state)) } -> std::convertible_to<std::string>;
                  }) {
      return std::string(workflow_.status(state_of(state)));
    } else {
      return std::nullopt;
    }
  }

  std::uint32_t state_schema_version() const override {
    if constexpr (requires {
                    { workflow_.state_schema_version() } -> std::convertible_to<std::uint32_t>;
                  }) {
      return workflow_.state_schema_version();
    } else {
      return 1;
    }
  }

  Json state_to_json(const StateBox& state) const override {
    if constexpr (requires(Json& j, const State& s) { to_json(j, s); }) {
      return Json(state_of(state));
    } else {
      throw EngineError(EngineError::Kind::Serialization, "the workflow's State has no JSON conversion (to_json)");
    }
  }

  std::unique_ptr<StateBox> state_from_json(const Json& json) const override {
    if constexpr (requires(const Json& j, State& s) { from_json(j, s); }) {
      try {
        return std::make_unique<Box>(json.template get<State>());
      } catch (const Json::exception& e) {
        throw EngineError(EngineError::Kind::Serialization, std::string("cannot decode state: ") + e.what());
      }
    } else {
      throw EngineError(EngineError::Kind::Serialization, "the workflow's State has no JSON conversion (from_json)");
    }
  }

 private:
  W workflow_;
};

}  // namespace mako
