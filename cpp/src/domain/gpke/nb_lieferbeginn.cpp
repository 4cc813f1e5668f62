#include "mako/domain/gpke/nb_lieferbeginn.hpp"

#include <algorithm>

#include "mako/core/errors.hpp"
#include "mako/domain/gpke/deadlines.hpp"
#include "mako/domain/gpke/emit.hpp"
#include "mako/domain/gpke/vorgangsnummer.hpp"
#include "mako/domain/identifiers/mp_id.hpp"

namespace mako::gpke {

// ---- JSON --------------------------------------------------------------------------------------

// Each event (and what it nests) names its fields once: json_support.hpp "one list of fields".
template <class F, FieldsOf<PreconditionFailure> V>
void json_fields(F& f, V& p) {
  f("text", p.text);
  f("answer_code", p.answer_code);
}
MAKO_GPKE_JSON_FROM_FIELDS(PreconditionFailure)
template <class F, FieldsOf<NbStammdaten> V>
void json_fields(F& f, V& s) {
  f("assigned_lfa", s.assigned_lfa);
  f("pending_anmeldung_start", s.pending_anmeldung_start);
  f("precondition_failure", s.precondition_failure);
}
MAKO_GPKE_JSON_FROM_FIELDS(NbStammdaten)

void to_json(Json& j, const ReceiveAnmeldung& c) {
  j = object_of("anmeldung", Json(c.anmeldung), "received_at", instant_to_json(c.received_at));
  put_optional_instant(j, "decided_at", c.decided_at);
  put(j, "stammdaten", Json(c.stammdaten));
}
void from_json(const Json& j, ReceiveAnmeldung& c) {
  c.anmeldung = required(j, "anmeldung").get<UtilmdVorgang>();
  c.received_at = instant_from_json(required(j, "received_at"));
  c.decided_at = get_optional_instant(j, "decided_at");
  c.stammdaten = j.contains("stammdaten") ? j["stammdaten"].get<NbStammdaten>() : NbStammdaten{};
}
void to_json(Json& j, const ReceiveLfaAnswer& c) {
  j = object_of("answer", Json(c.answer), "received_at", instant_to_json(c.received_at));
  put_optional_instant(j, "decided_at", c.decided_at);
}
void from_json(const Json& j, ReceiveLfaAnswer& c) {
  c.answer = required(j, "answer").get<UtilmdVorgang>();
  c.received_at = instant_from_json(required(j, "received_at"));
  c.decided_at = get_optional_instant(j, "decided_at");
}

// {"anmeldung":{..},"received_at":"..Z","latest_uebertragungstag":"YYYY-MM-DD","stammdaten":{..}}
template <class F, FieldsOf<AnmeldungReceived> V>
void json_fields(F& f, V& e) {
  f("anmeldung", e.anmeldung);
  f("received_at", e.received_at);
  f("latest_uebertragungstag", e.latest_uebertragungstag);
  f("stammdaten", e.stammdaten);
}
MAKO_GPKE_JSON_FROM_FIELDS(AnmeldungReceived)
// {"reason":"lead_time_missed","answer_code":"A02","text"?,"pending_start"?,"decided_at":"..Z"}
template <class F, FieldsOf<AnmeldungRejected> V>
void json_fields(F& f, V& e) {
  f("reason", e.reason);
  f("answer_code", e.answer_code);
  f("text", e.text);
  f("pending_start", e.pending_start);
  f("decided_at", e.decided_at);
}
MAKO_GPKE_JSON_FROM_FIELDS(AnmeldungRejected)
// {"lfa":"99..","transaction_reference":"GP..","window_due":"..Z"}
template <class F, FieldsOf<BeendigungAngefragt> V>
void json_fields(F& f, V& e) {
  f("lfa", e.lfa);
  f("transaction_reference", e.transaction_reference);
  f("window_due", e.window_due);
}
MAKO_GPKE_JSON_FROM_FIELDS(BeendigungAngefragt)
// {"pid":"55011","transaction_reference":"..","answer_code"?,"received_at":"..Z"}
template <class F, FieldsOf<LfaAnswerReceived> V>
void json_fields(F& f, V& e) {
  f("pid", e.pid);
  f("transaction_reference", e.transaction_reference);
  f("answer_code", e.answer_code);
  f("received_at", e.received_at);
}
MAKO_GPKE_JSON_FROM_FIELDS(LfaAnswerReceived)
// {"pid":"55012","transaction_reference":"..","received_at":"..Z","window_due":"..Z"}
template <class F, FieldsOf<LateLfaAnswerIgnored> V>
void json_fields(F& f, V& e) {
  f("pid", e.pid);
  f("transaction_reference", e.transaction_reference);
  f("received_at", e.received_at);
  f("window_due", e.window_due);
}
MAKO_GPKE_JSON_FROM_FIELDS(LateLfaAnswerIgnored)
// {"answer_code"?}
template <class F, FieldsOf<LfaRejectionDisregarded> V>
void json_fields(F& f, V& e) {
  f("answer_code", e.answer_code);
}
MAKO_GPKE_JSON_FROM_FIELDS(LfaRejectionDisregarded)
// {"due":"..Z","at":"..Z","outcome":"silence_consent"}
template <class F, FieldsOf<LfaAnswerWindowClosed> V>
void json_fields(F& f, V& e) {
  f("due", e.due);
  f("at", e.at);
  f("outcome", e.outcome);
}
MAKO_GPKE_JSON_FROM_FIELDS(LfaAnswerWindowClosed)
// {"decided_at":"..Z","basis":"lfa_consent","ended_lfa"?}
template <class F, FieldsOf<AnmeldungConfirmed> V>
void json_fields(F& f, V& e) {
  f("decided_at", e.decided_at);
  f("basis", e.basis);
  f("ended_lfa", e.ended_lfa);
}
MAKO_GPKE_JSON_FROM_FIELDS(AnmeldungConfirmed)

const char* to_string(NbLieferbeginnStatus s) {
  switch (s) {
    case NbLieferbeginnStatus::New: return "New";
    case NbLieferbeginnStatus::WaitingForLfa: return "WaitingForLfa";
    case NbLieferbeginnStatus::Confirmed: return "Confirmed";
    case NbLieferbeginnStatus::Rejected: return "Rejected";
  }
  return "?";
}

std::string NbLieferbeginn::status(const State& s) const {
  switch (s.status) {
    case NbLieferbeginnStatus::New: return s.anmeldung ? "awaiting decision" : "new";
    case NbLieferbeginnStatus::WaitingForLfa: return "awaiting LFA answer";
    case NbLieferbeginnStatus::Confirmed: return "confirmed";
    case NbLieferbeginnStatus::Rejected: return "rejected";
  }
  return "unknown";
}

void to_json(Json& j, const NbLieferbeginnState& s) {
  j = object_of("status", to_string(s.status));
  if (s.anmeldung) put(j, "anmeldung", Json(*s.anmeldung));
  put_optional_instant(j, "received_at", s.received_at);
  put_optional(j, "lfa", s.lfa);
  put_optional(j, "beendigung_reference", s.beendigung_reference);
  put_optional_instant(j, "lfa_window_due", s.lfa_window_due);
  put_optional(j, "lfa_answer_pid", s.lfa_answer_pid);
  put_optional(j, "lfa_answer_code", s.lfa_answer_code);
  put(j, "late_lfa_answers", s.late_lfa_answers);
  put_optional(j, "basis", s.basis);
  put_optional(j, "rejection_reason", s.rejection_reason);
  put_optional_date(j, "pending_start", s.pending_start);
  put(j, "steps", Json(s.steps));
}
void from_json(const Json& j, NbLieferbeginnState& s) {
  s = {};
  const auto status = required(j, "status").get<std::string>();
  for (auto c : {NbLieferbeginnStatus::New, NbLieferbeginnStatus::WaitingForLfa, NbLieferbeginnStatus::Confirmed,
                 NbLieferbeginnStatus::Rejected})
    if (status == to_string(c)) s.status = c;
  s.anmeldung = get_optional<UtilmdVorgang>(j, "anmeldung");
  s.received_at = get_optional_instant(j, "received_at");
  s.lfa = get_optional<std::string>(j, "lfa");
  s.beendigung_reference = get_optional<std::string>(j, "beendigung_reference");
  s.lfa_window_due = get_optional_instant(j, "lfa_window_due");
  s.lfa_answer_pid = get_optional<std::string>(j, "lfa_answer_pid");
  s.lfa_answer_code = get_optional<std::string>(j, "lfa_answer_code");
  s.late_lfa_answers = j.value("late_lfa_answers", 0);
  s.basis = get_optional<std::string>(j, "basis");
  s.rejection_reason = get_optional<std::string>(j, "rejection_reason");
  s.pending_start = get_optional_date(j, "pending_start");
  if (j.contains("steps")) s.steps = j["steps"].get<StepLog>();
}

// ---- apply -------------------------------------------------------------------------------------

void NbLieferbeginn::apply(State& s, const Event& e) const {
  std::visit(
      [&](const auto& ev) {
        using T = std::decay_t<decltype(ev)>;
        if constexpr (std::is_same_v<T, AnmeldungReceived>) {
          s.anmeldung = ev.anmeldung;
          s.received_at = ev.received_at;
          s.lfa = ev.stammdaten.assigned_lfa;
        } else if constexpr (std::is_same_v<T, AnmeldungRejected>) {
          s.status = NbLieferbeginnStatus::Rejected;
          s.rejection_reason = ev.reason;
          s.pending_start = ev.pending_start;
        } else if constexpr (std::is_same_v<T, BeendigungAngefragt>) {
          s.status = NbLieferbeginnStatus::WaitingForLfa;
          s.beendigung_reference = ev.transaction_reference;
          s.lfa_window_due = ev.window_due;
        } else if constexpr (std::is_same_v<T, LfaAnswerReceived>) {
          s.lfa_answer_pid = ev.pid;
          s.lfa_answer_code = ev.answer_code;
        } else if constexpr (std::is_same_v<T, LateLfaAnswerIgnored>) {
          ++s.late_lfa_answers;
        } else if constexpr (std::is_same_v<T, AnmeldungConfirmed>) {
          s.status = NbLieferbeginnStatus::Confirmed;
          s.basis = ev.basis;
        } else if constexpr (std::is_same_v<T, MessageSent> || std::is_same_v<T, AnswerDeadlineMissed>) {
          s.steps.record(ev);
        }
        // LfaRejectionDisregarded, LfaAnswerWindowClosed: history only; the decision follows.
      },
      e.value);
}

// ---- handle ------------------------------------------------------------------------------------

namespace {

using Out = WorkflowOutput<NbLieferbeginn::Event>;

// 55002 to the LFN (+ 55037 to the LFA when one is assigned).
void confirm(Out& out, const NbLieferbeginnState& s, const NbLieferbeginnPolicy& policy, Instant at,
             std::string basis) {
  const auto& a = *s.anmeldung;
  const Instant uet = *s.received_at;
  AnmeldungConfirmed done{at, std::move(basis), s.lfa};
  out.events.push_back(done);
  emit(out, answer_to(a, "55002", at, answer_due(55001, 55002, uet, *policy.calendar),
                      policy.codes.positive.value_or(default_answer_code("55002"))));
  if (s.lfa) {
    OutboundUtilmd end;
    end.vorgang = a;
    end.vorgang.pid = "55037";
    end.vorgang.sender = a.receiver;
    end.vorgang.receiver = *s.lfa;
    end.vorgang.referenced_transaction = s.beendigung_reference;
    end.vorgang.answer_code.reset();
    end.vorgang.end = a.start;  // the old supply ends (exclusively) where the new one begins
    end.vorgang.transaction_reference =
        derive_vorgangsnummer(a.receiver, a.sender + "/" + a.transaction_reference, 55037);
    end.sent_at = at;
    end.due = answer_due(55001, 55037, uet, *policy.calendar);
    emit(out, end);
  }
}

// The LFA's refusal, quoted in a 55003 (STS+Z35 and NAD+VY, AHB [356]/[363]).
struct LfaRefusal {
  std::string lfa;
  std::optional<std::string> answer_code;
};

void reject(Out& out, const UtilmdVorgang& a, Instant uet, const NbLieferbeginnPolicy& policy, Instant at,
            std::string reason, std::string code, std::optional<std::string> text = std::nullopt,
            std::optional<Date> pending_start = std::nullopt, std::optional<LfaRefusal> lfa = std::nullopt) {
  if (auto why = why_invalid_answer_code("55003", code)) throw WorkflowError::validation("answer_code: " + *why);
  out.events.push_back(AnmeldungRejected{reason, code, text, pending_start, at});
  auto p = answer_to(a, "55003", at, answer_due(55001, 55003, uet, *policy.calendar), code);
  p.reason = reason;
  p.pending_start = pending_start;
  if (answer_code_needs_remark("55003", code)) p.vorgang.remark = text.value_or("Ablehnung (" + code + ")");
  if (lfa) {
    p.vorgang.other_party = lfa->lfa;
    p.vorgang.third_party_answer_code = lfa->answer_code;
  }
  emit(out, p);
}

}  // namespace

WorkflowOutput<NbLieferbeginn::Event> NbLieferbeginn::handle(const State& s, const Command& c) const {
  return std::visit(
      [&](const auto& cmd) -> Out {
        using T = std::decay_t<decltype(cmd)>;
        if constexpr (std::is_same_v<T, ReceiveAnmeldung>) return on_anmeldung(s, cmd);
        else if constexpr (std::is_same_v<T, ReceiveLfaAnswer>) return on_lfa_answer(s, cmd);
        else return on_deadline(s, cmd);
      },
      c.value);
}

WorkflowOutput<NbLieferbeginn::Event> NbLieferbeginn::on_anmeldung(const State& s, const ReceiveAnmeldung& c) const {
  if (s.status != NbLieferbeginnStatus::New) throw WorkflowError::invalid_state("New", to_string(s.status));
  const auto& a = c.anmeldung;
  validate_vorgang(a, 55001);
  if (!a.start) throw WorkflowError::validation("start: the Anmeldung has no Zuordnungsbeginn (DTM+92)");
  if (a.transaction_reason != "E01" && a.transaction_reason != "E03")
    throw WorkflowError::validation("transaction_reason: expected E01 (Einzug) or E03 (Lieferantenwechsel), got '" +
                                    a.transaction_reason + "'");
  if (c.stammdaten.assigned_lfa) {
    if (auto why = identifiers::why_invalid_mp_id(*c.stammdaten.assigned_lfa))
      throw WorkflowError::validation("stammdaten.assigned_lfa: " + *why);
  }
  const Instant uet = c.received_at;
  const Instant at = c.decided_at.value_or(uet);
  if (at < uet) throw WorkflowError::validation("decided_at: before received_at");
  const auto& cal = *policy.calendar;

  Out out;
  out.events.push_back(AnmeldungReceived{a, uet, latest_uebertragungstag(*a.start, cal), c.stammdaten});
  out.register_key({"malo", a.malo});
  out.register_key({"anmeldung", a.sender + "/" + a.transaction_reference});

  // The checks, in order (docs/mako-domain.md, "The NB's checks, in order").
  if (!lead_time_kept(*a.start, uet, cal)) {
    reject(out, a, uet, policy, at, reason::kLeadTimeMissed, policy.codes.lead_time_missed,
           "ÜT " + calendar::to_iso_string(calendar::transfer_day(uet)) + " is after the latest ÜT " +
               calendar::to_iso_string(latest_uebertragungstag(*a.start, cal)));
    return out;
  }
  if (c.stammdaten.pending_anmeldung_start) {
    reject(out, a, uet, policy, at, reason::kAnmeldungPending, policy.codes.anmeldung_pending,
           "another Anmeldung is pending for start " + calendar::to_iso_string(*c.stammdaten.pending_anmeldung_start),
           c.stammdaten.pending_anmeldung_start);
    return out;
  }
  if (const auto& f = c.stammdaten.precondition_failure) {
    reject(out, a, uet, policy, at, reason::kPreconditionFailed,
           f->answer_code.value_or(policy.codes.precondition_failed), f->text);
    return out;
  }
  NbLieferbeginnState next = s;
  apply(next, out.events.front());
  if (!c.stammdaten.assigned_lfa) {
    confirm(out, next, policy, at, "no_lfa");
    return out;
  }
  if (a.transaction_reason == "E01" && !policy.ask_lfa_on_move_in) {
    confirm(out, next, policy, at, "move_in");
    return out;
  }
  // An LFA is assigned: inform the LFN (55036) and ask the LFA (55010) in parallel.
  const std::string& lfa = *c.stammdaten.assigned_lfa;
  auto info = answer_to(a, "55036", at, answer_due(55001, 55036, uet, cal), std::nullopt);
  info.existing_supplier = lfa;
  emit(out, info);

  OutboundUtilmd ask;
  ask.vorgang = a;
  ask.vorgang.pid = "55010";
  ask.vorgang.sender = a.receiver;
  ask.vorgang.receiver = lfa;
  ask.vorgang.referenced_transaction.reset();
  ask.vorgang.answer_code.reset();
  ask.vorgang.end = a.start;  // "Ende zum": the LFA's supply ends where the new one begins
  ask.vorgang.request_received_on = calendar::transfer_day(uet);  // the LFA's 09:00 counts from it
  ask.vorgang.other_party = a.sender;                             // the LFN
  ask.vorgang.transaction_reference =
      derive_vorgangsnummer(a.receiver, a.sender + "/" + a.transaction_reference, 55010);
  ask.sent_at = at;
  ask.due = answer_due(55001, 55010, uet, cal);
  emit(out, ask);

  const Instant window = answer_due(55010, 55011, uet, cal);  // counted from the ÜT of the 55001
  out.events.push_back(BeendigungAngefragt{lfa, ask.vorgang.transaction_reference, window});
  out.schedule(deadline_request(kLfaAnswerWindow, window));
  out.schedule(deadline_request(kAnswer55002Watchdog, answer_due(55001, 55002, uet, cal)));
  return out;
}

WorkflowOutput<NbLieferbeginn::Event> NbLieferbeginn::on_lfa_answer(const State& s, const ReceiveLfaAnswer& c) const {
  if (!s.beendigung_reference) throw WorkflowError::invalid_state("WaitingForLfa", to_string(s.status));
  const auto& ans = c.answer;
  validate_vorgang(ans);
  if (ans.pid != "55011" && ans.pid != "55012")
    throw WorkflowError::validation("pid: expected 55011 or 55012, got '" + ans.pid + "'");
  if (ans.referenced_transaction != s.beendigung_reference)
    throw WorkflowError::validation("referenced_transaction: the answer does not quote the 55010 " +
                                    *s.beendigung_reference);
  if (ans.sender != *s.lfa) throw WorkflowError::validation("sender: " + ans.sender + " is not the LFA " + *s.lfa);

  Out out;
  // After 09:00, or after the decision (silence already counted): recorded, ignored.
  if (s.status != NbLieferbeginnStatus::WaitingForLfa || c.received_at > *s.lfa_window_due) {
    if (s.lfa_answer_pid) throw WorkflowError::rejected("the LFA has already answered this Anfrage");
    out.events.push_back(LateLfaAnswerIgnored{ans.pid, ans.transaction_reference, c.received_at, *s.lfa_window_due});
    return out;
  }
  const Instant at = c.decided_at.value_or(c.received_at);
  out.events.push_back(LfaAnswerReceived{ans.pid, ans.transaction_reference, ans.answer_code, c.received_at});
  if (ans.pid == "55011") {
    confirm(out, s, policy, at, "lfa_consent");
    return out;
  }
  const auto& accepted = policy.accepted_lfa_rejection_codes;
  const bool accepted_reason = accepted.empty() || (ans.answer_code && std::find(accepted.begin(), accepted.end(),
                                                                                 *ans.answer_code) != accepted.end());
  if (!accepted_reason) {
    out.events.push_back(LfaRejectionDisregarded{ans.answer_code});
    confirm(out, s, policy, at, "lfa_rejection_disregarded");
    return out;
  }
  reject(out, *s.anmeldung, *s.received_at, policy, at, reason::kLfaRejected, policy.codes.lfa_rejected,
         "the LFA rejected the Beendigung" + (ans.answer_code ? " (" + *ans.answer_code + ")" : std::string()),
         std::nullopt, LfaRefusal{*s.lfa, ans.answer_code});
  return out;
}

WorkflowOutput<NbLieferbeginn::Event> NbLieferbeginn::on_deadline(const State& s, const DeadlineReached& c) const {
  Out out;
  if (c.name == kLfaAnswerWindow) {
    if (s.status != NbLieferbeginnStatus::WaitingForLfa) return out;  // decided already: nothing to record
    out.events.push_back(LfaAnswerWindowClosed{*s.lfa_window_due, c.at, "silence_consent"});
    confirm(out, s, policy, c.at, "silence_consent");
    return out;
  }
  if (c.name == kAnswer55002Watchdog) {
    if (s.status != NbLieferbeginnStatus::WaitingForLfa && s.status != NbLieferbeginnStatus::New) return out;
    const Instant due = answer_due(55001, 55002, *s.received_at, *policy.calendar);
    out.events.push_back(AnswerDeadlineMissed{c.name, due, c.at});
    return out;
  }
  throw WorkflowError::validation("unknown deadline '" + c.name + "' for " + std::string(kName));
}

}  // namespace mako::gpke
