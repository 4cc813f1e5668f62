#pragma once
// What handle() returns: events, plus messages to send, deadlines to watch and registry keys.
#include <vector>

#include "mako/core/event_envelope.hpp"
#include "mako/core/outbound_message.hpp"

namespace mako {

template <class Event>
struct WorkflowOutput {
  std::vector<Event> events;
  std::vector<OutboundMessage> messages;
  std::vector<DeadlineRequest> deadlines;
  std::vector<RegistryEntry> registrations;

  WorkflowOutput() = default;
  WorkflowOutput(std::vector<Event> e) : events(std::move(e)) {}  // NOLINT: a plain event list is an output
  WorkflowOutput& send(OutboundMessage m) {
    messages.push_back(std::move(m));
    return *this;
  }
  WorkflowOutput& schedule(DeadlineRequest d) {
    deadlines.push_back(std::move(d));
    return *this;
  }
  WorkflowOutput& register_key(RegistryEntry r) {
    registrations.push_back(std::move(r));
    return *this;
  }
};

// The language-neutral form the process machinery works with.
using ErasedOutput = WorkflowOutput<NewEvent>;

}  // namespace mako
