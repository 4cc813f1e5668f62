#include "mako/domain/gpke/step_log.hpp"

namespace mako::gpke {

template <class F, FieldsOf<MessageSent> V>
void json_fields(F& f, V& e) {
  f("step", e.step);
  f("pid", e.pid);
  f("recipient", e.recipient);
  f("transaction_reference", e.transaction_reference);
  f("due", e.due);
  f("sent_at", e.sent_at);
  f("met", e.met);
}
MAKO_GPKE_JSON_FROM_FIELDS(MessageSent)

MessageSent message_sent(const OutboundUtilmd& p) {
  MessageSent e;
  e.step = send_step(p.vorgang.pid);
  e.pid = p.vorgang.pid;
  e.recipient = p.vorgang.receiver;
  e.transaction_reference = p.vorgang.transaction_reference;
  e.due = p.due;
  e.sent_at = p.sent_at;
  e.met = !p.due || p.sent_at <= *p.due;
  return e;
}

template <class F, FieldsOf<AnswerDeadlineMissed> V>
void json_fields(F& f, V& e) {
  f("deadline", e.deadline);
  f("due", e.due);
  f("at", e.at);
}
MAKO_GPKE_JSON_FROM_FIELDS(AnswerDeadlineMissed)

const MessageSent* StepLog::find_sent(const std::string& pid) const {
  for (const auto& s : sent_)
    if (s.pid == pid) return &s;
  return nullptr;
}

bool StepLog::deadline_missed(const std::string& deadline) const {
  for (const auto& m : missed_)
    if (m.deadline == deadline) return true;
  return false;
}

void to_json(Json& j, const StepLog& log) {
  Json sent = Json::array(), missed = Json::array();
  for (const auto& s : log.sent_) sent.push_back(Json(s));
  for (const auto& m : log.missed_) missed.push_back(Json(m));
  j = object_of("sent", std::move(sent), "missed", std::move(missed));
}

void from_json(const Json& j, StepLog& log) {
  log.sent_.clear();
  log.missed_.clear();
  for (const auto& s : j.value("sent", Json::array())) log.sent_.push_back(s.get<MessageSent>());
  for (const auto& m : j.value("missed", Json::array())) log.missed_.push_back(m.get<AnswerDeadlineMissed>());
}

}  // namespace mako::gpke
