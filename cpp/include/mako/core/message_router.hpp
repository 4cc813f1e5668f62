#pragma once
// Decides where an inbound message goes, without knowing what the message is: the domain layer
// registers route keys (for MaKo: Prüfidentifikatoren) with the workflow that handles them and
// whether the message starts a new process or answers an existing one. An answer's process is found
// in the ProcessRegistry by a correlation key (e.g. kind "vorgang" + the referenced transaction).
// A message that cannot be routed goes to the DeadLetterSink with the reason.
#include <map>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>

#include "mako/core/dead_letter_sink.hpp"
#include "mako/core/process_registry.hpp"

namespace mako {

struct Route {
  enum class Action { Spawn, Resume };
  std::string workflow;  // the name of the workflow (in a WorkflowRegistry) that handles it
  Action action = Action::Spawn;
  std::string correlation_kind;  // Resume: the registry kind the correlation key is looked up under
};

struct InboundMessage {
  TenantId tenant;              // the receiving market partner's tenant
  std::string route_key;        // e.g. a PID
  std::string correlation_key;  // Resume: e.g. the referenced transaction number
  std::string payload;          // raw, kept for the dead-letter sink
  Timestamp received_at{};
};

struct RoutingDecision {
  enum class Kind { Spawn, Resume, DeadLettered };
  Kind kind = Kind::DeadLettered;
  std::string workflow;                    // Spawn and Resume
  std::optional<ProcessIdentity> process;  // Resume: the process to resume
  std::string reason;                      // DeadLettered: why
  std::int64_t dead_letter_id = 0;         // DeadLettered: the sink's id

  bool dead_lettered() const { return kind == Kind::DeadLettered; }
};

class MessageRouter {
 public:
  // `registry` may be null when no route resumes.
  MessageRouter(std::shared_ptr<const ProcessRegistry> registry, std::shared_ptr<DeadLetterSink> dead_letters);

  // Adds or replaces the route of `route_key`. Thread-safe, also while routing.
  MessageRouter& add_route(const std::string& route_key, Route route);
  std::optional<Route> route_of(const std::string& route_key) const;

  // Spawn: the route's workflow. Resume: the process registered under (tenant, correlation_kind,
  // correlation_key). Otherwise (unknown route key, no correlation key, no such process) the
  // message is dead-lettered with the reason and the decision says so.
  RoutingDecision route(const InboundMessage& message) const;

 private:
  RoutingDecision dead_letter(const InboundMessage& message, std::string reason) const;

  std::shared_ptr<const ProcessRegistry> registry_;
  std::shared_ptr<DeadLetterSink> dead_letters_;
  mutable std::shared_mutex mutex_;
  std::map<std::string, Route, std::less<>> routes_;
};

}  // namespace mako
