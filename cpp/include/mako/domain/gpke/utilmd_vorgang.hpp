#pragma once
// One UTILMD transaction (Vorgang) with the message data around it, in the flat JSON form the GPKE
// workflows use for inbound commands and outbound payloads (docs/mako-domain.md, "EDIFACT": IDE+24
// Vorgangsnummer, DTM+92 start, STS+7 transaction reason, STS+E01 answer code, LOC+Z16 MaLo,
// RFF+Z13 PID, RFF+TN referenced Vorgangsnummer; NAD+MS/MR sender/receiver).
//
// The business data the AHB asks for travels with it from request to answer (customer, product,
// the other market partner, the ÜT of the Anmeldung); outbound_utilmd.cpp puts on the wire what the
// Prüfschablone of the PID being sent admits (edifact/utilmd_rules.hpp) and nothing else.
//
// JSON (fields with no value are omitted):
//   {"pid": "55002", "transaction_reference": "GP0123...", "referenced_transaction": "VG1",
//    "malo": "41373559241", "start": "2025-03-05", "transaction_reason": "E03",
//    "answer_code": "A51", "sender": "9900467000000", "receiver": "9904590000002",
//    "supplement": "ZW4", "end": "2025-03-05", "end_next_possible": "..", "request_received_on": "..",
//    "third_party_answer_code": "A35", "remark": "...", "other_party": "99...",
//    "customer": {"name": "Erika Muster", "company": false, "street": "..",
//                 "postcode": "..", "city": "..", "country": "DE"},
//    "correspondence": {same shape}, "product_code": "9991000002082", "household": true,
//    "enfg": "ZG0", "annual_consumption_kwh": "3500", "device_removal": "YYYY-MM-DD"}
// `start` is the Zuordnungsbeginn as a Berlin calendar day; on the wire DTM+92 is 00:00 local in UTC;
// `end` (DTM+93 Ende zum, exclusive) and `end_next_possible` (DTM+471) likewise;
// `request_received_on` is the ÜT of the 55001 at the NB (DTM+154, a 55010 carries it).
#include <optional>
#include <string>

#include "mako/domain/edifact/utilmd.hpp"
#include "mako/domain/gpke/json_support.hpp"

namespace mako::edifact {
// JSON of a customer / address (the "customer" and "correspondence" members above).
void to_json(Json& j, const UtilmdParty& p);
void to_json_text(std::string& out, const UtilmdParty& p);
void from_json(const Json& j, UtilmdParty& p);
}  // namespace mako::edifact

namespace mako::gpke {

struct UtilmdVorgang {
  std::string pid;
  std::string transaction_reference;
  std::optional<std::string> referenced_transaction;
  std::string malo;
  std::optional<Date> start;
  std::string transaction_reason;
  std::optional<std::string> answer_code;
  std::string sender;
  std::string receiver;
  std::optional<std::string> supplement;  // STS+7 Transaktionsgrundergänzung
  std::optional<Date> end;
  std::optional<Date> end_next_possible;
  std::optional<Date> request_received_on;
  std::optional<Date> device_removal;  // DTM+206 Geräteausbaudatum (S2.2: Abmeldung wegen Stilllegung)
  std::optional<std::string> third_party_answer_code;
  std::optional<std::string> remark;
  std::optional<std::string> other_party;
  std::optional<edifact::UtilmdParty> customer;
  std::optional<edifact::UtilmdParty> correspondence;
  std::optional<std::string> product_code;
  std::optional<bool> household;
  std::optional<std::string> enfg;
  std::optional<std::string> annual_consumption_kwh;
  friend bool operator==(const UtilmdVorgang&, const UtilmdVorgang&) = default;
};

// Writes / reads the fields above into / from an existing JSON object (shared by the wrappers).
void write_fields(Json& j, const UtilmdVorgang& v);
void read_fields(const Json& j, UtilmdVorgang& v);
void to_json(Json& j, const UtilmdVorgang& v);
void to_json_text(std::string& out, const UtilmdVorgang& v);
void from_json(const Json& j, UtilmdVorgang& v);

// Transaction `index` of a parsed UTILMD message (the inbound pipeline's conversion).
UtilmdVorgang vorgang_from_utilmd(const edifact::UtilmdMessage& message, std::size_t index = 0);

// Checks that the MaLo-ID and the MP-IDs are valid and the PID is `expected_pid` (when not 0);
// throws WorkflowError::validation naming the field.
void validate_vorgang(const UtilmdVorgang& v, std::uint32_t expected_pid = 0);

std::uint32_t pid_number(const UtilmdVorgang& v);  // 0 when not 5 digits
// Whether the AHB of `pid` has a LOC+Z16 (requests do; most answers do not).
bool carries_malo(std::string_view pid);

}  // namespace mako::gpke
