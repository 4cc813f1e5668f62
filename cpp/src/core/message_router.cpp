#include "mako/core/message_router.hpp"

#include <mutex>

#include "mako/core/errors.hpp"

namespace mako {

MessageRouter::MessageRouter(std::shared_ptr<const ProcessRegistry> registry,
                             std::shared_ptr<DeadLetterSink> dead_letters)
    : registry_(std::move(registry)), dead_letters_(std::move(dead_letters)) {
  if (!dead_letters_) throw EngineError::invalid_input("MessageRouter needs a dead-letter sink");
}

MessageRouter& MessageRouter::add_route(const std::string& route_key, Route route) {
  if (route_key.empty()) throw EngineError::invalid_input("a route key must not be empty");
  if (route.workflow.empty()) throw EngineError::invalid_input("route '" + route_key + "' needs a workflow name");
  if (route.action == Route::Action::Resume && route.correlation_kind.empty())
    throw EngineError::invalid_input("route '" + route_key + "' resumes, so it needs a correlation kind");
  if (route.action == Route::Action::Resume && !registry_)
    throw EngineError::invalid_input("route '" + route_key + "' resumes, but the router has no process registry");
  std::unique_lock lock(mutex_);
  routes_[route_key] = std::move(route);
  return *this;
}

std::optional<Route> MessageRouter::route_of(const std::string& route_key) const {
  std::shared_lock lock(mutex_);
  auto it = routes_.find(route_key);
  if (it == routes_.end()) return std::nullopt;
  return it->second;
}

RoutingDecision MessageRouter::route(const InboundMessage& message) const {
  auto route = route_of(message.route_key);
  if (!route) return dead_letter(message, "unknown route key '" + message.route_key + "'");
  if (route->action == Route::Action::Spawn)
    return RoutingDecision{RoutingDecision::Kind::Spawn, route->workflow, {}, {}, 0};
  if (message.correlation_key.empty())
    return dead_letter(message, "route key '" + message.route_key + "' answers a process, but the message has no " +
                                    route->correlation_kind + " to find it by");
  auto process = registry_->lookup(message.tenant, route->correlation_kind, message.correlation_key);
  if (!process)
    return dead_letter(message, "no process of tenant " + message.tenant.to_string() + " is registered under " +
                                    route->correlation_kind + " '" + message.correlation_key + "'");
  return RoutingDecision{RoutingDecision::Kind::Resume, route->workflow, std::move(process), {}, 0};
}

RoutingDecision MessageRouter::dead_letter(const InboundMessage& message, std::string reason) const {
  RoutingDecision decision;
  decision.kind = RoutingDecision::Kind::DeadLettered;
  decision.dead_letter_id = dead_letters_->put(
      DeadLetter{0, message.tenant, "router", message.route_key, reason, message.payload, message.received_at});
  decision.reason = std::move(reason);
  return decision;
}

}  // namespace mako
