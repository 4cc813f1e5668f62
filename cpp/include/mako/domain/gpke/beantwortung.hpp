#pragma once
// The answering side of a GPKE request/answer pair (ExchangeSpec), one process per request:
//   "gpke.lieferende.lfa"          LFA receives 55010, answers 55011 / 55012 by 09:00 of the 1st WT
//                                  after the ÜT of the 55001; then receives 55037 (supply ends)
//   "gpke.abmeldung.nb"            NB receives 55004, answers 55005 / 55006 by 06:00 of the 1st WT
//   "gpke.abmeldung_durch_nb.lf"   LF receives 55007, answers 55008 / 55009 by 05:00 of the 1st WT
//   "gpke.kuendigung.lfa"          LFA receives 55016, answers 55017 / 55018 by the end of the 1st WT
// (docs/mako-domain.md, "The GPKE table" and "Related use cases".) The answer is decided outside (command
// Answer: accept or reject with a code) and sent at the command's instant; MessageSent records it
// against the due instant. A watchdog "answer-<positive PID>" records AnswerDeadlineMissed when
// it fires while still unanswered (for 55010 the NB then counts the silence as consent).
//
// The deadline counts from the ÜT of the table row's reference message: the request itself,
// except for 55010 whose deadline counts from the ÜT of the 55001 -- which the LFA only knows if
// told: ReceiveRequest.reference_uebertragung, else the 55010's DTM+154 "ÜT der Lieferanmeldung
// des LFN" (request_received_on), else the 55010's own receipt.
// The answer code must be one of the EBD of the answer PID (edifact/utilmd_rules.hpp); a 55037
// carries no RFF+TN (AHB) and is matched by its MaLo.
// Commands:
//   {"type":"ReceiveRequest","data":{"request":{UtilmdVorgang},"received_at":"..Z","reference_uebertragung"?:"..Z"}}
//   {"type":"Answer","data":{"accept":true,"answer_code"?:"A36","decided_at":"..Z","remark"?:"..."}}
//   {"type":"ReceiveFollowUp","data":{"message":{UtilmdVorgang, pid 55037, RFF+TN = the 55010},"received_at":"..Z"}}
//   {"type":"DeadlineReached","data":{"name":"answer-55011","at":"..Z"}}
// Events: RequestReceived, Answered, FollowUpReceived, MessageSent, AnswerDeadlineMissed.
// Registrations: "malo"; "vorgang" = the request's Vorgangsnummer (a 55037 quotes the 55010) and
//   the answer's.
#include <optional>
#include <string>
#include <vector>

#include "mako/core/workflow_output.hpp"
#include "mako/domain/calendar/calendar.hpp"
#include "mako/domain/gpke/antwortcodes.hpp"
#include "mako/domain/gpke/deadline_reached.hpp"
#include "mako/domain/gpke/exchange_spec.hpp"
#include "mako/domain/gpke/step_log.hpp"
#include "mako/domain/gpke/tagged_variant.hpp"

namespace mako::gpke {

struct ReceiveRequest {
  static constexpr const char* kType = "ReceiveRequest";
  UtilmdVorgang request;
  Instant received_at{};
  std::optional<Instant> reference_uebertragung;
};
struct Answer {
  static constexpr const char* kType = "Answer";
  bool accept = true;
  std::optional<std::string> answer_code;  // default: Antwortcodes positive / negative
  Instant decided_at{};
  std::optional<std::string> remark;  // Bemerkung (FTX), needed by A99 "Sonstiges" and a few more
  // Vorjahresverbrauch in kWh (SG8 SEQ+Z01 QTY+Z09): the LFA's 55017 for a verbrauchende MaLo
  // must carry it (AHB 55017, Muss [480]); other answers do not send it.
  std::optional<std::string> annual_consumption_kwh;
};
struct ReceiveFollowUp {
  static constexpr const char* kType = "ReceiveFollowUp";
  UtilmdVorgang message;
  Instant received_at{};
};
void to_json(Json& j, const ReceiveRequest& c);
void from_json(const Json& j, ReceiveRequest& c);
void to_json(Json& j, const Answer& c);
void from_json(const Json& j, Answer& c);
void to_json(Json& j, const ReceiveFollowUp& c);
void from_json(const Json& j, ReceiveFollowUp& c);

struct RequestReceived {  // {"request":{..},"received_at","answer_due"}
  static constexpr const char* kType = "RequestReceived";
  UtilmdVorgang request;
  Instant received_at{};
  Instant answer_due{};
};
struct Answered {  // {"pid","accepted","answer_code","decided_at","in_time"}
  static constexpr const char* kType = "Answered";
  std::string pid;
  bool accepted = true;
  std::string answer_code;
  Instant decided_at{};
  bool in_time = true;
};
struct FollowUpReceived {  // {"pid","transaction_reference","received_at"}
  static constexpr const char* kType = "FollowUpReceived";
  std::string pid;
  std::string transaction_reference;
  Instant received_at{};
};
void to_json(Json& j, const RequestReceived& e);
void to_json_text(std::string& out, const RequestReceived& e);
void from_json(const Json& j, RequestReceived& e);
void to_json(Json& j, const Answered& e);
void to_json_text(std::string& out, const Answered& e);
void from_json(const Json& j, Answered& e);
void to_json(Json& j, const FollowUpReceived& e);
void to_json_text(std::string& out, const FollowUpReceived& e);
void from_json(const Json& j, FollowUpReceived& e);

enum class BeantwortungStatus { New, Received, Accepted, Refused };
const char* to_string(BeantwortungStatus s);

struct BeantwortungState {
  BeantwortungStatus status = BeantwortungStatus::New;
  std::optional<UtilmdVorgang> request;
  std::optional<Instant> received_at;
  std::optional<Instant> answer_due;
  std::optional<std::string> answer_code;
  std::vector<std::string> followups;  // PIDs received after the answer, e.g. "55037"
  StepLog steps;
};
void to_json(Json& j, const BeantwortungState& s);
void from_json(const Json& j, BeantwortungState& s);

struct Beantwortung {
  using State = BeantwortungState;
  using Event = EventOf<RequestReceived, Answered, FollowUpReceived, MessageSent, AnswerDeadlineMissed>;
  using Command = CommandOf<ReceiveRequest, Answer, ReceiveFollowUp, DeadlineReached>;

  ExchangeSpec spec;
  Antwortcodes codes;
  const calendar::Calendar* calendar = &calendar::Calendar::bdew();

  void apply(State& s, const Event& e) const;
  WorkflowOutput<Event> handle(const State& s, const Command& c) const;
  // "new", "to answer" (received, not yet answered), "accepted", "refused", "ended" (accepted and
  // the follow-up arrived, e.g. the 55037 ending the LFA's supply).
  std::string status(const State& s) const;
};

}  // namespace mako::gpke
