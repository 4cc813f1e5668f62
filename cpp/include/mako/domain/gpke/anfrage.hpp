#pragma once
// The requesting side of a GPKE request/answer pair (ExchangeSpec), one process per request:
//   "gpke.abmeldung.lf"            LF sends 55004, NB answers 55005/55006 by 06:00 of the 1st WT
//   "gpke.abmeldung_durch_nb.nb"   NB sends 55007, LF answers 55008/55009 by 05:00 of the 1st WT;
//                                  silence: the NB ends the assignment (SilenceCountedAsConsent)
//   "gpke.kuendigung.lfn"          LFN sends 55016, LFA answers 55017/55018 by the end of the 1st WT
// (docs/mako-domain.md, "Related use cases"; deadlines and silence from calendar/gpke_answer_deadlines.hpp.)
// A deadline "answer-<positive PID>" fires at the due instant: where silence is consent the
// process is Confirmed (basis "silence") and later answers are LateAnswerIgnored; otherwise it
// records AnswerDeadlineMissed and keeps waiting (a late answer is taken, in_time = false).
//
// `date` is the day the request is about (Zuordnungsende of an Abmeldung, Kündigungsdatum), sent
// as "Ende zum" (DTM+93, exclusive); the AHB makes it Muss, so a request without it is refused.
// Commands:
//   {"type":"SendRequest","data":{"malo","date":"YYYY-MM-DD"?,"transaction_reason","sender","receiver",
//        "sent_at":"..Z","transaction_reference"?}}
//   {"type":"ReceiveAnswer","data":{"answer":{UtilmdVorgang, RFF+TN = the request},"received_at":"..Z"}}
//   {"type":"DeadlineReached","data":{"name":"answer-55005","at":"..Z"}}
// Events: RequestSent, AnswerReceived, LateAnswerIgnored, SilenceCountedAsConsent, MessageSent,
//   AnswerDeadlineMissed.
// Registrations: "malo", "vorgang" = the request's Vorgangsnummer.
#include <optional>
#include <string>

#include "mako/core/workflow_output.hpp"
#include "mako/domain/calendar/calendar.hpp"
#include "mako/domain/gpke/deadline_reached.hpp"
#include "mako/domain/gpke/exchange_spec.hpp"
#include "mako/domain/gpke/step_log.hpp"
#include "mako/domain/gpke/tagged_variant.hpp"

namespace mako::gpke {

struct SendRequest {
  static constexpr const char* kType = "SendRequest";
  std::string malo;
  std::optional<Date> date;
  std::string transaction_reason;
  std::string sender;
  std::string receiver;
  Instant sent_at{};
  std::optional<std::string> transaction_reference;
  std::optional<Date> device_removal;  // Geräteausbaudatum: an Abmeldung wegen Stilllegung (Z33) in S2.2
};
struct ReceiveAnswer {
  static constexpr const char* kType = "ReceiveAnswer";
  UtilmdVorgang answer;
  Instant received_at{};
};
void to_json(Json& j, const SendRequest& c);
void from_json(const Json& j, SendRequest& c);
void to_json(Json& j, const ReceiveAnswer& c);
void from_json(const Json& j, ReceiveAnswer& c);

struct RequestSent {  // {"request":{..},"sent_at","answer_due"}
  static constexpr const char* kType = "RequestSent";
  UtilmdVorgang request;
  Instant sent_at{};
  Instant answer_due{};
};
struct AnswerReceived {  // {"pid","transaction_reference","accepted","answer_code"?,"received_at","in_time"}
  static constexpr const char* kType = "AnswerReceived";
  std::string pid;
  std::string transaction_reference;
  bool accepted = false;
  std::optional<std::string> answer_code;
  Instant received_at{};
  bool in_time = true;
};
struct LateAnswerIgnored {  // {"pid","transaction_reference","received_at","due"}
  static constexpr const char* kType = "LateAnswerIgnored";
  std::string pid;
  std::string transaction_reference;
  Instant received_at{};
  Instant due{};
};
struct SilenceCountedAsConsent {  // {"due","at"}
  static constexpr const char* kType = "SilenceCountedAsConsent";
  Instant due{};
  Instant at{};
};
void to_json(Json& j, const RequestSent& e);
void to_json_text(std::string& out, const RequestSent& e);
void from_json(const Json& j, RequestSent& e);
void to_json(Json& j, const AnswerReceived& e);
void to_json_text(std::string& out, const AnswerReceived& e);
void from_json(const Json& j, AnswerReceived& e);
void to_json(Json& j, const LateAnswerIgnored& e);
void to_json_text(std::string& out, const LateAnswerIgnored& e);
void from_json(const Json& j, LateAnswerIgnored& e);
void to_json(Json& j, const SilenceCountedAsConsent& e);
void to_json_text(std::string& out, const SilenceCountedAsConsent& e);
void from_json(const Json& j, SilenceCountedAsConsent& e);

enum class AnfrageStatus { New, Waiting, Confirmed, Rejected };
const char* to_string(AnfrageStatus s);

struct AnfrageState {
  AnfrageStatus status = AnfrageStatus::New;
  std::optional<UtilmdVorgang> request;
  std::optional<Instant> sent_at;
  std::optional<Instant> answer_due;
  std::optional<std::string> basis;  // "answer" | "silence"
  std::optional<std::string> answer_code;
  int late_answers = 0;
  StepLog steps;
};
void to_json(Json& j, const AnfrageState& s);
void from_json(const Json& j, AnfrageState& s);

struct Anfrage {
  using State = AnfrageState;
  using Event = EventOf<RequestSent, AnswerReceived, LateAnswerIgnored, SilenceCountedAsConsent, MessageSent,
                        AnswerDeadlineMissed>;
  using Command = CommandOf<SendRequest, ReceiveAnswer, DeadlineReached>;

  ExchangeSpec spec;
  const calendar::Calendar* calendar = &calendar::Calendar::bdew();

  void apply(State& s, const Event& e) const;
  WorkflowOutput<Event> handle(const State& s, const Command& c) const;
  // "new", "awaiting answer", "confirmed" (by answer or silence), "rejected".
  std::string status(const State& s) const;
};

}  // namespace mako::gpke
