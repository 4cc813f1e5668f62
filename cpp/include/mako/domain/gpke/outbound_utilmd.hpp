#pragma once
// The payload of every UTILMD a GPKE workflow sends (OutboundMessage::payload, message_type
// "UTILMD"), and how the pipeline renders it into EDIFACT later.
//
// Payload JSON = the UtilmdVorgang fields (utilmd_vorgang.hpp) plus
//   "sent_at": instant the workflow decided to send (the command's instant),
//   "due": the answer deadline of this step, when the table has one,
//   "reason": symbolic rejection reason (antwortcodes.hpp), for people and analysts,
//   "pending_start": the start date of the pending other Anmeldung (55003 "anmeldung_pending"),
//   "existing_supplier": MP-ID of the assigned LFA (55036 information).
// Example (55003 after a missed lead time):
//   {"pid":"55003","transaction_reference":"GP4F...","referenced_transaction":"VG1",
//    "malo":"41373559241","start":"2025-03-05","transaction_reason":"E03","answer_code":"A02",
//    "sender":"9900467000000","receiver":"9904590000002","sent_at":"2025-03-04T09:00:00Z",
//    "due":"2025-03-05T10:00:00Z","reason":"lead_time_missed"}
#include <optional>
#include <string>
#include <string_view>

#include "mako/core/outbound_message.hpp"
#include "mako/domain/edifact/interchange.hpp"
#include "mako/domain/edifact/utilmd.hpp"
#include "mako/domain/gpke/utilmd_vorgang.hpp"

namespace mako::gpke {

struct OutboundUtilmd {
  UtilmdVorgang vorgang;
  Instant sent_at{};
  std::optional<Instant> due;
  std::optional<std::string> reason;
  std::optional<Date> pending_start;
  std::optional<std::string> existing_supplier;
  friend bool operator==(const OutboundUtilmd&, const OutboundUtilmd&) = default;
};

void to_json(Json& j, const OutboundUtilmd& p);
void from_json(const Json& j, OutboundUtilmd& p);

// Step name of an outbound UTILMD: "Send" + PID, e.g. "Send55036".
std::string send_step(const std::string& pid);
// OutboundMessage{step = send_step(pid), recipient = receiver, message_type = "UTILMD", payload}.
OutboundMessage to_outbound_message(const OutboundUtilmd& payload);

// BGM document name code by PID, from the PID's Prüfschablone (edifact/utilmd_rules.hpp): E01
// Anmeldung family, E02 Abmeldung/Beendigung family, E35 Kündigung; E02 for a PID without rules.
std::string document_code_for_pid(const std::string& pid);

// Payload -> typed UTILMD: one transaction, DTM+137 = sent_at, DTM+92 = 00:00 Berlin of `start`,
// NAD code lists from the MP-ID kind (99 -> 293 BDEW, 98 -> 332 DVGW, else 9 GS1). BGM document
// number = the Vorgangsnummer. `pending_start`, `reason`, `due` and `existing_supplier` are not
// rendered: the UTILMD subset in edifact/utilmd.hpp has no segment for them yet.
edifact::UtilmdMessage render_utilmd(const OutboundUtilmd& payload, std::string message_reference);
/// The same, moving the payload's strings instead of copying them.
edifact::UtilmdMessage render_utilmd(OutboundUtilmd&& payload, std::string message_reference);
edifact::UtilmdMessage render_utilmd(const Json& payload, std::string message_reference);
// The same wrapped in an interchange (UNA, UNB with sender/receiver from the payload, UNZ);
// ready for edifact::write.
edifact::Interchange render_utilmd_interchange(const Json& payload, std::string interchange_reference,
                                               std::string message_reference);
// edifact::write(render_utilmd_interchange(...)) for an already decoded payload, written directly
// (edifact::write_utilmd_interchange) without building the interchange: the outbox transport's
// hot path. Byte-identical; tests compare the two.
std::string render_utilmd_bytes(const OutboundUtilmd& payload, std::string_view interchange_reference,
                                std::string message_reference);
std::string render_utilmd_bytes(OutboundUtilmd&& payload, std::string_view interchange_reference,
                                std::string message_reference);

edifact::MarketPartner market_partner(std::string mp_id);

}  // namespace mako::gpke
