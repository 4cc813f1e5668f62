#include "mako/domain/gpke/beantwortung.hpp"

#include <algorithm>

#include "mako/core/errors.hpp"
#include "mako/domain/gpke/emit.hpp"

namespace mako::gpke {

void to_json(Json& j, const ReceiveRequest& c) {
  j = object_of("request", Json(c.request), "received_at", instant_to_json(c.received_at));
  put_optional_instant(j, "reference_uebertragung", c.reference_uebertragung);
}
void from_json(const Json& j, ReceiveRequest& c) {
  c.request = required(j, "request").get<UtilmdVorgang>();
  c.received_at = instant_from_json(required(j, "received_at"));
  c.reference_uebertragung = get_optional_instant(j, "reference_uebertragung");
}
void to_json(Json& j, const Answer& c) {
  j = object_of("accept", c.accept);
  put_optional(j, "answer_code", c.answer_code);
  put(j, "decided_at", instant_to_json(c.decided_at));
  put_optional(j, "remark", c.remark);
  put_optional(j, "annual_consumption_kwh", c.annual_consumption_kwh);
}
void from_json(const Json& j, Answer& c) {
  c.accept = required(j, "accept").get<bool>();
  c.answer_code = get_optional<std::string>(j, "answer_code");
  c.decided_at = instant_from_json(required(j, "decided_at"));
  c.remark = get_optional<std::string>(j, "remark");
  c.annual_consumption_kwh = get_optional<std::string>(j, "annual_consumption_kwh");
}
void to_json(Json& j, const ReceiveFollowUp& c) {
  j = object_of("message", Json(c.message), "received_at", instant_to_json(c.received_at));
}
void from_json(const Json& j, ReceiveFollowUp& c) {
  c.message = required(j, "message").get<UtilmdVorgang>();
  c.received_at = instant_from_json(required(j, "received_at"));
}

template <class F, FieldsOf<RequestReceived> V>
void json_fields(F& f, V& e) {
  f("request", e.request);
  f("received_at", e.received_at);
  f("answer_due", e.answer_due);
}
MAKO_GPKE_JSON_FROM_FIELDS(RequestReceived)
template <class F, FieldsOf<Answered> V>
void json_fields(F& f, V& e) {
  f("pid", e.pid);
  f("accepted", e.accepted);
  f("answer_code", e.answer_code);
  f("decided_at", e.decided_at);
  f("in_time", e.in_time);
}
MAKO_GPKE_JSON_FROM_FIELDS(Answered)
template <class F, FieldsOf<FollowUpReceived> V>
void json_fields(F& f, V& e) {
  f("pid", e.pid);
  f("transaction_reference", e.transaction_reference);
  f("received_at", e.received_at);
}
MAKO_GPKE_JSON_FROM_FIELDS(FollowUpReceived)

const char* to_string(BeantwortungStatus s) {
  switch (s) {
    case BeantwortungStatus::New: return "New";
    case BeantwortungStatus::Received: return "Received";
    case BeantwortungStatus::Accepted: return "Accepted";
    case BeantwortungStatus::Refused: return "Refused";
  }
  return "?";
}

std::string Beantwortung::status(const State& s) const {
  switch (s.status) {
    case BeantwortungStatus::New: return "new";
    case BeantwortungStatus::Received: return "to answer";
    case BeantwortungStatus::Accepted: return s.followups.empty() ? "accepted" : "ended";
    case BeantwortungStatus::Refused: return "refused";
  }
  return "unknown";
}

void to_json(Json& j, const BeantwortungState& s) {
  j = object_of("status", to_string(s.status));
  if (s.request) put(j, "request", Json(*s.request));
  put_optional_instant(j, "received_at", s.received_at);
  put_optional_instant(j, "answer_due", s.answer_due);
  put_optional(j, "answer_code", s.answer_code);
  put(j, "followups", s.followups);
  put(j, "steps", Json(s.steps));
}
void from_json(const Json& j, BeantwortungState& s) {
  s = {};
  const auto status = required(j, "status").get<std::string>();
  for (auto c : {BeantwortungStatus::New, BeantwortungStatus::Received, BeantwortungStatus::Accepted,
                 BeantwortungStatus::Refused})
    if (status == to_string(c)) s.status = c;
  s.request = get_optional<UtilmdVorgang>(j, "request");
  s.received_at = get_optional_instant(j, "received_at");
  s.answer_due = get_optional_instant(j, "answer_due");
  s.answer_code = get_optional<std::string>(j, "answer_code");
  s.followups = j.value("followups", std::vector<std::string>{});
  if (j.contains("steps")) s.steps = j["steps"].get<StepLog>();
}

void Beantwortung::apply(State& s, const Event& e) const {
  std::visit(
      [&](const auto& ev) {
        using T = std::decay_t<decltype(ev)>;
        if constexpr (std::is_same_v<T, RequestReceived>) {
          s.status = BeantwortungStatus::Received;
          s.request = ev.request;
          s.received_at = ev.received_at;
          s.answer_due = ev.answer_due;
        } else if constexpr (std::is_same_v<T, Answered>) {
          s.status = ev.accepted ? BeantwortungStatus::Accepted : BeantwortungStatus::Refused;
          s.answer_code = ev.answer_code;
        } else if constexpr (std::is_same_v<T, FollowUpReceived>) {
          s.followups.push_back(ev.pid);
        } else {
          s.steps.record(ev);
        }
      },
      e.value);
}

WorkflowOutput<Beantwortung::Event> Beantwortung::handle(const State& s, const Command& c) const {
  using Out = WorkflowOutput<Event>;
  const auto& row = spec.row();
  if (const auto* rx = c.get_if<ReceiveRequest>()) {
    if (s.status != BeantwortungStatus::New) throw WorkflowError::invalid_state("New", to_string(s.status));
    validate_vorgang(rx->request, spec.request_pid);
    Instant reference = rx->received_at;
    if (rx->reference_uebertragung) reference = *rx->reference_uebertragung;
    else if (rx->request.request_received_on)
      reference = calendar::berlin_time_on(*rx->request.request_received_on, 12);
    const Instant due = row.deadline.evaluate(reference, *calendar);
    Out out;
    out.events.push_back(RequestReceived{rx->request, rx->received_at, due});
    out.register_key({"malo", rx->request.malo});
    out.register_key({"vorgang", rx->request.transaction_reference});
    // Follow-ups without RFF+TN (the 55037) find the process by its MaLo.
    if (!spec.followup_pids.empty()) out.register_key({"followup", rx->request.malo});
    out.schedule(deadline_request(spec.deadline_name(), due));
    return out;
  }
  if (const auto* answer = c.get_if<Answer>()) {
    if (s.status != BeantwortungStatus::Received) throw WorkflowError::invalid_state("Received", to_string(s.status));
    if (answer->decided_at < *s.received_at) throw WorkflowError::validation("decided_at: before received_at");
    const auto pid = std::to_string(answer->accept ? spec.positive_pid : spec.negative_pid);
    const auto& configured = answer->accept ? codes.positive : codes.negative;
    const std::string code = answer->answer_code.value_or(configured.value_or(default_answer_code(pid)));
    if (auto why = why_invalid_answer_code(pid, code)) throw WorkflowError::validation("answer_code: " + *why);
    if (pid == "55017" && s.request->supplement.value_or("ZW4") == "ZW4" && !answer->annual_consumption_kwh)
      throw WorkflowError::validation(
          "annual_consumption_kwh: the Bestätigung der Kündigung needs the Vorjahresverbrauch "
          "(AHB 55017: SG8 SEQ+Z01 QTY+Z09, Muss [480])");
    auto p = answer_to(*s.request, pid, answer->decided_at, s.answer_due, code);
    p.vorgang.remark = answer->remark;
    p.vorgang.annual_consumption_kwh = answer->annual_consumption_kwh;
    if (!p.vorgang.remark && answer_code_needs_remark(pid, code))
      p.vorgang.remark = "Ablehnung (" + code + "), ohne weitere Angabe";
    Out out;
    out.events.push_back(Answered{pid, answer->accept, code, answer->decided_at, answer->decided_at <= *s.answer_due});
    emit(out, p);
    return out;
  }
  if (const auto* f = c.get_if<ReceiveFollowUp>()) {
    if (s.status == BeantwortungStatus::New) throw WorkflowError::invalid_state("Received", to_string(s.status));
    validate_vorgang(f->message);
    const auto pid = pid_number(f->message);
    if (std::find(spec.followup_pids.begin(), spec.followup_pids.end(), pid) == spec.followup_pids.end())
      throw WorkflowError::validation("pid: " + f->message.pid + " does not follow " +
                                      std::to_string(spec.request_pid));
    if (f->message.referenced_transaction && f->message.referenced_transaction != s.request->transaction_reference)
      throw WorkflowError::validation("referenced_transaction: does not quote the request " +
                                      s.request->transaction_reference);
    if (f->message.malo != s.request->malo)
      throw WorkflowError::validation("malo: " + f->message.malo + " is not the MaLo of the request " +
                                      s.request->malo);
    Out out;
    out.events.push_back(FollowUpReceived{f->message.pid, f->message.transaction_reference, f->received_at});
    return out;
  }
  const auto& d = *c.get_if<DeadlineReached>();
  if (d.name != spec.deadline_name())
    throw WorkflowError::validation("unknown deadline '" + d.name + "' for " + spec.workflow_name);
  Out out;
  if (s.status == BeantwortungStatus::Received) out.events.push_back(AnswerDeadlineMissed{d.name, *s.answer_due, d.at});
  return out;
}

}  // namespace mako::gpke
