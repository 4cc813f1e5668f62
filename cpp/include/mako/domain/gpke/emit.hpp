#pragma once
// Sending a UTILMD from a GPKE workflow: the outbox message, the MessageSent event (due / sent /
// met) and the "vorgang" registration of its Vorgangsnummer, so answers quoting it in RFF+TN
// route back to the process -- always together.
#include "mako/core/workflow_output.hpp"
#include "mako/domain/edifact/pid.hpp"
#include "mako/domain/gpke/step_log.hpp"
#include "mako/domain/gpke/vorgangsnummer.hpp"

namespace mako::gpke {

template <class Event>
void emit(WorkflowOutput<Event>& out, const OutboundUtilmd& payload) {
  out.send(to_outbound_message(payload));
  out.events.push_back(Event{message_sent(payload)});
  out.register_key(RegistryEntry{"vorgang", payload.vorgang.transaction_reference});
}

// An answer to `request`: sender and receiver swapped, RFF+TN = the request's Vorgangsnummer, a
// derived Vorgangsnummer of its own, MaLo / start / transaction reason copied.
inline OutboundUtilmd answer_to(const UtilmdVorgang& request, const std::string& pid, Instant sent_at,
                                std::optional<Instant> due, std::optional<std::string> answer_code) {
  OutboundUtilmd p;
  p.vorgang = request;
  p.vorgang.pid = pid;
  p.vorgang.sender = request.receiver;
  p.vorgang.receiver = request.sender;
  p.vorgang.referenced_transaction = request.transaction_reference;
  p.vorgang.transaction_reference = derive_vorgangsnummer(
      request.receiver, request.sender + "/" + request.transaction_reference, edifact::Pid::require(pid).number());
  p.vorgang.answer_code = std::move(answer_code);
  p.sent_at = sent_at;
  p.due = due;
  return p;
}

}  // namespace mako::gpke
