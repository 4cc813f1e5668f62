#pragma once
// Workflow "gpke.lieferbeginn.nb": the Netzbetreiber's side of the LFW24 supplier switch
// (UC Lieferbeginn; docs/mako-domain.md, "GPKE supplier switch after LFW24"). One process per Anmeldung.
//
// ReceiveAnmeldung (55001 at ÜT instant T) -- checks in order (docs/mako-domain.md, "The NB's checks, in order"):
//   1. lead time missed (ÜT later than the day before the last WT before the start)  -> 55003
//   2. another Anmeldung for the MaLo pending                  -> 55003 stating its start date
//   3. other preconditions failed (unknown MaLo, ...)          -> 55003
//   4. an LFA assigned at the start date (transaction reason E03):
//        55036 to the LFN and 55010 to the LFA (due 07:00 of the 1st WT after T), then wait for
//        55011/55012 until 09:00 of the 1st WT ("lfa-answer-window"). Silence is consent; a late
//        answer is recorded (LateLfaAnswerIgnored) and changes nothing.
//        consent -> 55002 to the LFN (due 11:00) and 55037 to the LFA (due 12:00)
//        55012   -> 55003 to the LFN, reason "lfa_rejected" (see NbLieferbeginnPolicy)
//   5. no LFA -> direct assignment: 55002 (due 11:00).
// Move-in (E01, Einzug) with an LFA assigned: the old assignment belonged to the previous
// occupant, so the NB does not ask the LFA; it confirms at once and ends the old assignment with
// 55037. (verify) Our sources only say E01 is a move; set ask_lfa_on_move_in to ask anyway
// (docs/open-questions.md, "Move-in with an old supplier assigned").
//
// Every decision is sent at the instant of the command that led to it (received_at, decided_at
// or the deadline's at) and recorded as MessageSent with met = sent_at <= due. A watchdog
// "answer-55002" at 11:00 records AnswerDeadlineMissed if the LFN is still unanswered then.
//
// The NB's master-data lookup happens outside the workflow; ReceiveAnmeldung carries its result.
//
// Command JSON:
//   {"type":"ReceiveAnmeldung","data":{"anmeldung":{UtilmdVorgang, pid 55001},
//        "received_at":"..Z", "decided_at":"..Z"?,
//        "stammdaten":{"assigned_lfa":"99..."?, "pending_anmeldung_start":"YYYY-MM-DD"?,
//                      "precondition_failure":{"text":"MaLo unbekannt","answer_code":"A02"?}?}}}
//   {"type":"ReceiveLfaAnswer","data":{"answer":{UtilmdVorgang, pid 55011|55012, RFF+TN = the 55010},
//        "received_at":"..Z", "decided_at":"..Z"?}}
//   {"type":"DeadlineReached","data":{"name":"lfa-answer-window"|"answer-55002","at":"..Z"}}
// Events: AnmeldungReceived, AnmeldungRejected, BeendigungAngefragt, LfaAnswerReceived,
//   LateLfaAnswerIgnored, LfaRejectionDisregarded, LfaAnswerWindowClosed, AnmeldungConfirmed,
//   MessageSent, AnswerDeadlineMissed (JSON shapes in the .cpp next to each to_json).
// Registrations: "malo" = MaLo-ID; "vorgang" = each Vorgangsnummer the NB sends (55010 is the one
//   the LFA's answer quotes in RFF+TN); "anmeldung" = "<LFN MP-ID>/<LFN Vorgangsnummer>" (duplicates).
#include <optional>
#include <string>
#include <vector>

#include "mako/core/workflow_output.hpp"
#include "mako/domain/calendar/calendar.hpp"
#include "mako/domain/gpke/antwortcodes.hpp"
#include "mako/domain/gpke/deadline_reached.hpp"
#include "mako/domain/gpke/step_log.hpp"
#include "mako/domain/gpke/tagged_variant.hpp"

namespace mako::gpke {

inline constexpr const char* kLfaAnswerWindow = "lfa-answer-window";
inline constexpr const char* kAnswer55002Watchdog = "answer-55002";

// ---- commands ----------------------------------------------------------------------------------
struct PreconditionFailure {
  std::string text;
  std::optional<std::string> answer_code;
  friend bool operator==(const PreconditionFailure&, const PreconditionFailure&) = default;
};

// The NB's own data about the MaLo at the start date (looked up outside the workflow).
struct NbStammdaten {
  std::optional<std::string> assigned_lfa;
  std::optional<Date> pending_anmeldung_start;
  std::optional<PreconditionFailure> precondition_failure;
  friend bool operator==(const NbStammdaten&, const NbStammdaten&) = default;
};

struct ReceiveAnmeldung {
  static constexpr const char* kType = "ReceiveAnmeldung";
  UtilmdVorgang anmeldung;
  Instant received_at{};
  std::optional<Instant> decided_at;
  NbStammdaten stammdaten;
};
struct ReceiveLfaAnswer {
  static constexpr const char* kType = "ReceiveLfaAnswer";
  UtilmdVorgang answer;
  Instant received_at{};
  std::optional<Instant> decided_at;
};
void to_json(Json& j, const ReceiveAnmeldung& c);
void from_json(const Json& j, ReceiveAnmeldung& c);
void to_json(Json& j, const ReceiveLfaAnswer& c);
void from_json(const Json& j, ReceiveLfaAnswer& c);

// ---- events ------------------------------------------------------------------------------------
struct AnmeldungReceived {
  static constexpr const char* kType = "AnmeldungReceived";
  UtilmdVorgang anmeldung;
  Instant received_at{};
  Date latest_uebertragungstag;
  NbStammdaten stammdaten;
};
struct AnmeldungRejected {
  static constexpr const char* kType = "AnmeldungRejected";
  std::string reason;  // antwortcodes.hpp reason::*
  std::string answer_code;
  std::optional<std::string> text;
  std::optional<Date> pending_start;
  Instant decided_at{};
};
struct BeendigungAngefragt {  // 55010 sent to the LFA
  static constexpr const char* kType = "BeendigungAngefragt";
  std::string lfa;
  std::string transaction_reference;
  Instant window_due{};
};
struct LfaAnswerReceived {
  static constexpr const char* kType = "LfaAnswerReceived";
  std::string pid;  // 55011 consent, 55012 rejection
  std::string transaction_reference;
  std::optional<std::string> answer_code;
  Instant received_at{};
};
struct LateLfaAnswerIgnored {
  static constexpr const char* kType = "LateLfaAnswerIgnored";
  std::string pid;
  std::string transaction_reference;
  Instant received_at{};
  Instant window_due{};
};
struct LfaRejectionDisregarded {  // 55012 with a code the policy does not accept: counts as consent
  static constexpr const char* kType = "LfaRejectionDisregarded";
  std::optional<std::string> answer_code;
};
struct LfaAnswerWindowClosed {
  static constexpr const char* kType = "LfaAnswerWindowClosed";
  Instant due{};
  Instant at{};
  std::string outcome;  // "silence_consent"
};
struct AnmeldungConfirmed {
  static constexpr const char* kType = "AnmeldungConfirmed";
  Instant decided_at{};
  // "no_lfa" (direct assignment), "move_in" (E01, LFA not asked), "lfa_consent" (55011),
  // "silence_consent" (no answer by 09:00), "lfa_rejection_disregarded".
  std::string basis;
  std::optional<std::string> ended_lfa;  // the LFA sent 55037
};

#define MAKO_GPKE_JSON(T)                          \
  void to_json(Json& j, const T& e);               \
  void to_json_text(std::string& out, const T& e); \
  void from_json(const Json& j, T& e);
MAKO_GPKE_JSON(AnmeldungReceived)
MAKO_GPKE_JSON(AnmeldungRejected)
MAKO_GPKE_JSON(BeendigungAngefragt)
MAKO_GPKE_JSON(LfaAnswerReceived)
MAKO_GPKE_JSON(LateLfaAnswerIgnored)
MAKO_GPKE_JSON(LfaRejectionDisregarded)
MAKO_GPKE_JSON(LfaAnswerWindowClosed)
MAKO_GPKE_JSON(AnmeldungConfirmed)
MAKO_GPKE_JSON(NbStammdaten)
MAKO_GPKE_JSON(PreconditionFailure)
#undef MAKO_GPKE_JSON

// ---- state -------------------------------------------------------------------------------------
enum class NbLieferbeginnStatus { New, WaitingForLfa, Confirmed, Rejected };
const char* to_string(NbLieferbeginnStatus s);

struct NbLieferbeginnState {
  NbLieferbeginnStatus status = NbLieferbeginnStatus::New;
  std::optional<UtilmdVorgang> anmeldung;
  std::optional<Instant> received_at;               // ÜT instant of the 55001
  std::optional<std::string> lfa;                   // assigned LFA at the start date
  std::optional<std::string> beendigung_reference;  // Vorgangsnummer of the 55010
  std::optional<Instant> lfa_window_due;            // 09:00 of the 1st WT
  std::optional<std::string> lfa_answer_pid;        // 55011 / 55012 received in time
  std::optional<std::string> lfa_answer_code;
  int late_lfa_answers = 0;
  std::optional<std::string> basis;  // AnmeldungConfirmed::basis
  std::optional<std::string> rejection_reason;
  std::optional<Date> pending_start;
  StepLog steps;
};
void to_json(Json& j, const NbLieferbeginnState& s);
void from_json(const Json& j, NbLieferbeginnState& s);

// ---- policy ------------------------------------------------------------------------------------
struct NbLieferbeginnPolicy {
  Antwortcodes codes;
  // After LFW24 the LFA may reject the Beendigung only for specific reasons (BK6-24-174, (verify)
  // the list against the EBD: docs/open-questions.md, "Which 55012 answer codes reject"). A 55012
  // whose answer code is listed here rejects the Anmeldung; any other code is disregarded and
  // counts as consent (LfaRejectionDisregarded). Empty = every 55012 rejects (the default, until
  // the list is sourced).
  std::vector<std::string> accepted_lfa_rejection_codes;
  bool ask_lfa_on_move_in = false;
  const calendar::Calendar* calendar = &calendar::Calendar::bdew();
};

struct NbLieferbeginn {
  using State = NbLieferbeginnState;
  using Event =
      EventOf<AnmeldungReceived, AnmeldungRejected, BeendigungAngefragt, LfaAnswerReceived, LateLfaAnswerIgnored,
              LfaRejectionDisregarded, LfaAnswerWindowClosed, AnmeldungConfirmed, MessageSent, AnswerDeadlineMissed>;
  using Command = CommandOf<ReceiveAnmeldung, ReceiveLfaAnswer, DeadlineReached>;
  static constexpr const char* kName = "gpke.lieferbeginn.nb";

  NbLieferbeginnPolicy policy;

  void apply(State& s, const Event& e) const;
  WorkflowOutput<Event> handle(const State& s, const Command& c) const;
  // "new", "awaiting decision" (55001 received, not decided), "awaiting LFA answer", "confirmed"
  // (55002 sent), "rejected" (55003 sent).
  std::string status(const State& s) const;

 private:
  WorkflowOutput<Event> on_anmeldung(const State& s, const ReceiveAnmeldung& c) const;
  WorkflowOutput<Event> on_lfa_answer(const State& s, const ReceiveLfaAnswer& c) const;
  WorkflowOutput<Event> on_deadline(const State& s, const DeadlineReached& c) const;
};

}  // namespace mako::gpke
