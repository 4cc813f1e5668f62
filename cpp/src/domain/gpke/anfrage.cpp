#include "mako/domain/gpke/anfrage.hpp"

#include "mako/core/errors.hpp"
#include "mako/domain/gpke/deadlines.hpp"
#include "mako/domain/gpke/emit.hpp"
#include "mako/domain/gpke/vorgangsnummer.hpp"

namespace mako::gpke {

void to_json(Json& j, const SendRequest& c) {
  j = object_of("malo", c.malo);
  put_optional_date(j, "date", c.date);
  put(j, "transaction_reason", c.transaction_reason);
  put(j, "sender", c.sender);
  put(j, "receiver", c.receiver);
  put(j, "sent_at", instant_to_json(c.sent_at));
  put_optional(j, "transaction_reference", c.transaction_reference);
  put_optional_date(j, "device_removal", c.device_removal);
}
void from_json(const Json& j, SendRequest& c) {
  c.malo = required(j, "malo").get<std::string>();
  c.date = get_optional_date(j, "date");
  c.transaction_reason = j.value("transaction_reason", std::string{});
  c.sender = required(j, "sender").get<std::string>();
  c.receiver = required(j, "receiver").get<std::string>();
  c.sent_at = instant_from_json(required(j, "sent_at"));
  c.transaction_reference = get_optional<std::string>(j, "transaction_reference");
  c.device_removal = get_optional_date(j, "device_removal");
}
void to_json(Json& j, const ReceiveAnswer& c) {
  j = object_of("answer", Json(c.answer), "received_at", instant_to_json(c.received_at));
}
void from_json(const Json& j, ReceiveAnswer& c) {
  c.answer = required(j, "answer").get<UtilmdVorgang>();
  c.received_at = instant_from_json(required(j, "received_at"));
}

template <class F, FieldsOf<RequestSent> V>
void json_fields(F& f, V& e) {
  f("request", e.request);
  f("sent_at", e.sent_at);
  f("answer_due", e.answer_due);
}
MAKO_GPKE_JSON_FROM_FIELDS(RequestSent)
template <class F, FieldsOf<AnswerReceived> V>
void json_fields(F& f, V& e) {
  f("pid", e.pid);
  f("transaction_reference", e.transaction_reference);
  f("accepted", e.accepted);
  f("answer_code", e.answer_code);
  f("received_at", e.received_at);
  f("in_time", e.in_time);
}
MAKO_GPKE_JSON_FROM_FIELDS(AnswerReceived)
template <class F, FieldsOf<LateAnswerIgnored> V>
void json_fields(F& f, V& e) {
  f("pid", e.pid);
  f("transaction_reference", e.transaction_reference);
  f("received_at", e.received_at);
  f("due", e.due);
}
MAKO_GPKE_JSON_FROM_FIELDS(LateAnswerIgnored)
template <class F, FieldsOf<SilenceCountedAsConsent> V>
void json_fields(F& f, V& e) {
  f("due", e.due);
  f("at", e.at);
}
MAKO_GPKE_JSON_FROM_FIELDS(SilenceCountedAsConsent)

const char* to_string(AnfrageStatus s) {
  switch (s) {
    case AnfrageStatus::New: return "New";
    case AnfrageStatus::Waiting: return "Waiting";
    case AnfrageStatus::Confirmed: return "Confirmed";
    case AnfrageStatus::Rejected: return "Rejected";
  }
  return "?";
}

std::string Anfrage::status(const State& s) const {
  switch (s.status) {
    case AnfrageStatus::New: return "new";
    case AnfrageStatus::Waiting: return "awaiting answer";
    case AnfrageStatus::Confirmed: return "confirmed";
    case AnfrageStatus::Rejected: return "rejected";
  }
  return "unknown";
}

void to_json(Json& j, const AnfrageState& s) {
  j = object_of("status", to_string(s.status));
  if (s.request) put(j, "request", Json(*s.request));
  put_optional_instant(j, "sent_at", s.sent_at);
  put_optional_instant(j, "answer_due", s.answer_due);
  put_optional(j, "basis", s.basis);
  put_optional(j, "answer_code", s.answer_code);
  put(j, "late_answers", s.late_answers);
  put(j, "steps", Json(s.steps));
}
void from_json(const Json& j, AnfrageState& s) {
  s = {};
  const auto status = required(j, "status").get<std::string>();
  for (auto c : {AnfrageStatus::New, AnfrageStatus::Waiting, AnfrageStatus::Confirmed, AnfrageStatus::Rejected})
    if (status == to_string(c)) s.status = c;
  s.request = get_optional<UtilmdVorgang>(j, "request");
  s.sent_at = get_optional_instant(j, "sent_at");
  s.answer_due = get_optional_instant(j, "answer_due");
  s.basis = get_optional<std::string>(j, "basis");
  s.answer_code = get_optional<std::string>(j, "answer_code");
  s.late_answers = j.value("late_answers", 0);
  if (j.contains("steps")) s.steps = j["steps"].get<StepLog>();
}

void Anfrage::apply(State& s, const Event& e) const {
  std::visit(
      [&](const auto& ev) {
        using T = std::decay_t<decltype(ev)>;
        if constexpr (std::is_same_v<T, RequestSent>) {
          s.status = AnfrageStatus::Waiting;
          s.request = ev.request;
          s.sent_at = ev.sent_at;
          s.answer_due = ev.answer_due;
        } else if constexpr (std::is_same_v<T, AnswerReceived>) {
          s.status = ev.accepted ? AnfrageStatus::Confirmed : AnfrageStatus::Rejected;
          s.basis = "answer";
          s.answer_code = ev.answer_code;
        } else if constexpr (std::is_same_v<T, LateAnswerIgnored>) {
          ++s.late_answers;
        } else if constexpr (std::is_same_v<T, SilenceCountedAsConsent>) {
          s.status = AnfrageStatus::Confirmed;
          s.basis = "silence";
        } else {
          s.steps.record(ev);
        }
      },
      e.value);
}

WorkflowOutput<Anfrage::Event> Anfrage::handle(const State& s, const Command& c) const {
  using Out = WorkflowOutput<Event>;
  const auto& row = spec.row();
  const bool silence_is_consent = row.on_silence == calendar::SilenceMeaning::Consent;
  if (const auto* send = c.get_if<SendRequest>()) {
    if (s.status != AnfrageStatus::New) throw WorkflowError::invalid_state("New", to_string(s.status));
    if (!send->date)
      throw WorkflowError::validation("date: the " + std::to_string(spec.request_pid) +
                                      " needs the day the supply ends (AHB: DTM+93 Ende zum is Muss)");
    OutboundUtilmd p;
    auto& v = p.vorgang;
    v.pid = std::to_string(spec.request_pid);
    v.transaction_reference = send->transaction_reference.value_or(derive_vorgangsnummer(
        send->sender, send->malo + "/" + (send->date ? calendar::to_iso_string(*send->date) : std::string()),
        spec.request_pid));
    v.malo = send->malo;
    v.end = send->date;  // Abmeldung / Kündigung: the day the supply ends (DTM+93, exclusive)
    v.device_removal = send->device_removal;
    v.transaction_reason = send->transaction_reason;
    v.sender = send->sender;
    v.receiver = send->receiver;
    validate_vorgang(v, spec.request_pid);
    p.sent_at = send->sent_at;
    const Instant due = row.deadline.evaluate(send->sent_at, *calendar);
    Out out;
    out.events.push_back(RequestSent{v, send->sent_at, due});
    out.register_key({"malo", v.malo});
    emit(out, p);
    out.schedule(deadline_request(spec.deadline_name(), due));
    return out;
  }
  if (const auto* rx = c.get_if<ReceiveAnswer>()) {
    if (s.status == AnfrageStatus::New) throw WorkflowError::invalid_state("Waiting", to_string(s.status));
    const auto& a = rx->answer;
    validate_vorgang(a);
    const auto pid = pid_number(a);
    if (pid != spec.positive_pid && pid != spec.negative_pid)
      throw WorkflowError::validation("pid: expected " + std::to_string(spec.positive_pid) + " or " +
                                      std::to_string(spec.negative_pid) + ", got '" + a.pid + "'");
    if (a.referenced_transaction != s.request->transaction_reference)
      throw WorkflowError::validation("referenced_transaction: does not quote the request " +
                                      s.request->transaction_reference);
    const bool in_time = rx->received_at <= *s.answer_due;
    Out out;
    if (silence_is_consent && (!in_time || s.status != AnfrageStatus::Waiting)) {
      if (s.basis == std::optional<std::string>("answer"))
        throw WorkflowError::rejected("the request has already been answered");
      out.events.push_back(LateAnswerIgnored{a.pid, a.transaction_reference, rx->received_at, *s.answer_due});
      return out;
    }
    if (s.status != AnfrageStatus::Waiting) throw WorkflowError::rejected("the request has already been answered");
    out.events.push_back(AnswerReceived{a.pid, a.transaction_reference, pid == spec.positive_pid, a.answer_code,
                                        rx->received_at, in_time});
    return out;
  }
  const auto& d = *c.get_if<DeadlineReached>();
  if (d.name != spec.deadline_name())
    throw WorkflowError::validation("unknown deadline '" + d.name + "' for " + spec.workflow_name);
  Out out;
  if (s.status != AnfrageStatus::Waiting) return out;
  if (silence_is_consent) out.events.push_back(SilenceCountedAsConsent{*s.answer_due, d.at});
  else out.events.push_back(AnswerDeadlineMissed{d.name, *s.answer_due, d.at});
  return out;
}

}  // namespace mako::gpke
