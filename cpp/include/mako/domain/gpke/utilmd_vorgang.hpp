#pragma once
// One UTILMD transaction (Vorgang) with the message data around it, in the flat JSON form the GPKE
// workflows use for inbound commands and outbound payloads (mako-domain.md, EDIFACT: IDE+24
// Vorgangsnummer, DTM+92 start, STS+7 transaction reason, STS+E01 answer code, LOC+Z16 MaLo,
// RFF+Z13 PID, RFF+TN referenced Vorgangsnummer; NAD+MS/MR sender/receiver).
//
// JSON (fields with no value are omitted):
//   {"pid": "55002", "transaction_reference": "GP0123...", "referenced_transaction": "VG1",
//    "malo": "41373559241", "start": "2025-03-05", "transaction_reason": "E03",
//    "answer_code": "A01", "sender": "9900467000000", "receiver": "9904590000002"}
// `start` is the Zuordnungsbeginn as a Berlin calendar day; on the wire DTM+92 is 00:00 local in UTC.
#include <optional>
#include <string>

#include "mako/domain/edifact/utilmd.hpp"
#include "mako/domain/gpke/json_support.hpp"

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

}  // namespace mako::gpke
