#pragma once
// Answer codes (STS+E01++<code>:<EBD>) the workflows put into their answers, and the symbolic
// reasons they record. The codes come from the EBD decision tree of each answer PID (E_0622/E_0623
// for 55002/55003, E_0624 for 55011/55012, E_0607, E_0609, E_0614; edifact/utilmd_rules.hpp lists
// every code of each tree). The defaults are data a deployment overrides, not logic.
#include <optional>
#include <string>
#include <string_view>

namespace mako::gpke {

// Symbolic rejection reasons, stable strings for analysts (event and payload field "reason").
namespace reason {
inline constexpr const char* kLeadTimeMissed = "lead_time_missed";         // Frist unterschritten
inline constexpr const char* kAnmeldungPending = "anmeldung_pending";      // andere Anmeldung offen
inline constexpr const char* kPreconditionFailed = "precondition_failed";  // sonstige Voraussetzung
inline constexpr const char* kLfaRejected = "lfa_rejected";                // LFA lehnt Beendigung ab
}  // namespace reason

// The code an answer PID carries when the decision names none: the EBD's plain Zustimmung for a
// Bestätigung (55002 A51, 55005 A11, 55008 A10, 55011 A36, 55017 A09) and "Sonstiges" (A99, with
// a Bemerkung) or the tree's nearest refusal for an Ablehnung (55003 A99, 55006 A99, 55009 A99,
// 55012 A35 Vertragsbindung, 55018 A99). Empty for a PID that is no answer.
std::string default_answer_code(std::string_view answer_pid);
// Whether the code needs a Bemerkung (FTX) in its answer (A99 "Sonstiges", A05/A25/A04/A23/A08/A16).
bool answer_code_needs_remark(std::string_view answer_pid, std::string_view code);

// Why `code` cannot answer with `answer_pid` (not a code of its EBD, or a Zustimmung in an
// Ablehnung and vice versa); nullopt when it can.
std::optional<std::string> why_invalid_answer_code(std::string_view answer_pid, std::string_view code);

struct Antwortcodes {
  std::optional<std::string> positive;  // unset: default_answer_code(positive PID)
  std::optional<std::string> negative;  // unset: default_answer_code(negative PID)
  // The NB's refusals of an Anmeldung (55003): E_0622 Vorprüfung and E_0623.
  std::string lead_time_missed = "A07";     // E_0622: Vorlauffrist nicht eingehalten
  std::string anmeldung_pending = "A06";    // E_0622: andere Anmeldung in Bearbeitung
  std::string precondition_failed = "A02";  // E_0622: MaLo nimmt nicht an der Marktkommunikation teil
  std::string lfa_rejected = "A50";         // E_0623: der LFA hat die Beendigung abgelehnt
};

}  // namespace mako::gpke
