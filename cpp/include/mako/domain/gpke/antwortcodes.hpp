#pragma once
// Answer codes (STS+E01++<code>) the workflows put into their answers, and the symbolic reasons
// they record. (verify) mako-domain.md names no answer codes; the real ones come from the EBD
// decision trees. The defaults follow the project's EDIFACT corpus (edifact/corpus.hpp: A01 in
// positive answers, A02 in negative ones), and they are data a deployment overrides, not logic.
#include <string>

namespace mako::gpke {

// Symbolic rejection reasons, stable strings for analysts (event and payload field "reason").
namespace reason {
inline constexpr const char* kLeadTimeMissed = "lead_time_missed";          // Frist unterschritten
inline constexpr const char* kAnmeldungPending = "anmeldung_pending";       // andere Anmeldung offen
inline constexpr const char* kPreconditionFailed = "precondition_failed";   // sonstige Voraussetzung
inline constexpr const char* kLfaRejected = "lfa_rejected";                 // LFA lehnt Beendigung ab
}  // namespace reason

struct Antwortcodes {
    std::string positive = "A01";
    std::string lead_time_missed = "A02";
    std::string anmeldung_pending = "A02";
    std::string precondition_failed = "A02";
    std::string lfa_rejected = "A02";
    std::string negative = "A02";  // default for negative answers given without a code
};

}  // namespace mako::gpke
