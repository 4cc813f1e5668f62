#pragma once
// Workflow "gpke.lieferbeginn.lfn": the new supplier's (LFN) side of the supplier switch
// (docs/mako-domain.md, "The GPKE table"). One process per Anmeldung.
//
// StartSwitch sends the 55001 to the NB. The LFN checks the lead time itself: a sent_at whose
// Berlin day is after the latest ÜT (the day before the last WT before the start) is refused with
// WorkflowError::rejected, unless send_late is set (then AnmeldungSent.lead_time_missed = true and
// MessageSent.met = false; the NB will answer 55003). The NB's answer is due 11:00 of the 1st WT
// after the ÜT; a watchdog "nb-answer-55002" records AnswerDeadlineMissed if none has arrived.
// Status: New -> Pending -> Confirmed (55002) | Rejected (55003); 55036 (information on an existing
// assignment, old supplier) may arrive while Pending.
//
// Commands:
//   {"type":"StartSwitch","data":{"malo","start":"YYYY-MM-DD","transaction_reason":"E03"|"E01",
//        "nb":"99..","lfn":"99..","sent_at":"..Z","transaction_reference"?,"send_late"?:false}}
//   {"type":"ReceiveNbMessage","data":{"message":{UtilmdVorgang, pid 55036|55002|55003,
//        RFF+TN = our 55001},"received_at":"..Z","existing_supplier"?:"99.."}}
//   {"type":"DeadlineReached","data":{"name":"nb-answer-55002","at":"..Z"}}
// Events: AnmeldungSent, ExistingAssignmentInformed, NbConfirmed, NbRejected, MessageSent,
//   AnswerDeadlineMissed.
// Registrations: "malo" = MaLo-ID, "vorgang" = the 55001's Vorgangsnummer (answers quote it).
#include <optional>
#include <string>

#include "mako/core/workflow_output.hpp"
#include "mako/domain/calendar/calendar.hpp"
#include "mako/domain/gpke/deadline_reached.hpp"
#include "mako/domain/gpke/step_log.hpp"
#include "mako/domain/gpke/tagged_variant.hpp"

namespace mako::gpke {

inline constexpr const char* kNbAnswerWatchdog = "nb-answer-55002";

struct StartSwitch {
  static constexpr const char* kType = "StartSwitch";
  std::string malo;
  Date start;
  std::string transaction_reason = "E03";
  std::string nb;
  std::string lfn;
  Instant sent_at{};
  std::optional<std::string> transaction_reference;  // derived when absent
  bool send_late = false;
  // What the AHB 55001 makes mandatory besides the MaLo and the date:
  std::optional<edifact::UtilmdParty> customer;        // required: NAD+Z09 name, NAD+Z04 address
  std::optional<edifact::UtilmdParty> correspondence;  // NAD+Z04; default: the customer's address
  // Produkt-Code of the product package (SG8 PIA+5), from the Codeliste der Konfigurationen.
  // (verify) the default follows makotest's builder; docs/open-questions.md, "Default product code".
  std::string product_code = "9991000002082";
  bool household = true;     // Haushaltskunde gem. EnWG (CCI Z15) or not (Z18)
  std::string enfg = "ZG0";  // EnFG: ZF9 fulfils, ZG0 does not, ZG1 no statement
};
struct ReceiveNbMessage {
  static constexpr const char* kType = "ReceiveNbMessage";
  UtilmdVorgang message;
  Instant received_at{};
  std::optional<std::string> existing_supplier;
};
void to_json(Json& j, const StartSwitch& c);
void from_json(const Json& j, StartSwitch& c);
void to_json(Json& j, const ReceiveNbMessage& c);
void from_json(const Json& j, ReceiveNbMessage& c);

struct AnmeldungSent {  // {"anmeldung":{..},"sent_at","latest_uebertragungstag","answer_due","lead_time_missed"}
  static constexpr const char* kType = "AnmeldungSent";
  UtilmdVorgang anmeldung;
  Instant sent_at{};
  Date latest_uebertragungstag;
  Instant answer_due{};
  bool lead_time_missed = false;
};
struct ExistingAssignmentInformed {  // {"transaction_reference","received_at","existing_supplier"?}
  static constexpr const char* kType = "ExistingAssignmentInformed";
  std::string transaction_reference;
  Instant received_at{};
  std::optional<std::string> existing_supplier;
};
struct NbConfirmed {  // {"transaction_reference","received_at","in_time"}
  static constexpr const char* kType = "NbConfirmed";
  std::string transaction_reference;
  Instant received_at{};
  bool in_time = true;
};
struct NbRejected {  // {"transaction_reference","answer_code"?,"received_at","in_time"}
  static constexpr const char* kType = "NbRejected";
  std::string transaction_reference;
  std::optional<std::string> answer_code;
  Instant received_at{};
  bool in_time = true;
};
void to_json(Json& j, const AnmeldungSent& e);
void to_json_text(std::string& out, const AnmeldungSent& e);
void from_json(const Json& j, AnmeldungSent& e);
void to_json(Json& j, const ExistingAssignmentInformed& e);
void to_json_text(std::string& out, const ExistingAssignmentInformed& e);
void from_json(const Json& j, ExistingAssignmentInformed& e);
void to_json(Json& j, const NbConfirmed& e);
void to_json_text(std::string& out, const NbConfirmed& e);
void from_json(const Json& j, NbConfirmed& e);
void to_json(Json& j, const NbRejected& e);
void to_json_text(std::string& out, const NbRejected& e);
void from_json(const Json& j, NbRejected& e);

enum class LfnLieferbeginnStatus { New, Pending, Confirmed, Rejected };
const char* to_string(LfnLieferbeginnStatus s);

struct LfnLieferbeginnState {
  LfnLieferbeginnStatus status = LfnLieferbeginnStatus::New;
  std::optional<UtilmdVorgang> anmeldung;
  std::optional<Instant> sent_at;
  std::optional<Instant> answer_due;
  bool lead_time_missed = false;
  bool existing_assignment = false;  // 55036 received
  std::optional<std::string> existing_supplier;
  std::optional<std::string> answer_code;
  StepLog steps;
};
void to_json(Json& j, const LfnLieferbeginnState& s);
void from_json(const Json& j, LfnLieferbeginnState& s);

struct LfnLieferbeginn {
  using State = LfnLieferbeginnState;
  using Event =
      EventOf<AnmeldungSent, ExistingAssignmentInformed, NbConfirmed, NbRejected, MessageSent, AnswerDeadlineMissed>;
  using Command = CommandOf<StartSwitch, ReceiveNbMessage, DeadlineReached>;
  static constexpr const char* kName = "gpke.lieferbeginn.lfn";

  const calendar::Calendar* calendar = &calendar::Calendar::bdew();

  void apply(State& s, const Event& e) const;
  WorkflowOutput<Event> handle(const State& s, const Command& c) const;
  // "new", "awaiting answer" (55001 sent, no 55002/55003 yet), "confirmed", "rejected".
  std::string status(const State& s) const;
};

}  // namespace mako::gpke
