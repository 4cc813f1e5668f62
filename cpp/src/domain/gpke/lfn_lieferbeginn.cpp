#include "mako/domain/gpke/lfn_lieferbeginn.hpp"

#include "mako/core/errors.hpp"
#include "mako/domain/gpke/deadlines.hpp"
#include "mako/domain/gpke/emit.hpp"
#include "mako/domain/gpke/vorgangsnummer.hpp"

namespace mako::gpke {

void to_json(Json& j, const StartSwitch& c) {
  j = object_of("malo", c.malo, "start", date_to_json(c.start), "transaction_reason", c.transaction_reason, "nb", c.nb,
                "lfn", c.lfn, "sent_at", instant_to_json(c.sent_at));
  put_optional(j, "transaction_reference", c.transaction_reference);
  put(j, "send_late", c.send_late);
  put_optional(j, "customer", c.customer);
  put_optional(j, "correspondence", c.correspondence);
  put(j, "product_code", c.product_code);
  put(j, "household", c.household);
  put(j, "enfg", c.enfg);
}
void from_json(const Json& j, StartSwitch& c) {
  c.malo = required(j, "malo").get<std::string>();
  c.start = date_from_json(required(j, "start"));
  c.transaction_reason = j.value("transaction_reason", std::string("E03"));
  c.nb = required(j, "nb").get<std::string>();
  c.lfn = required(j, "lfn").get<std::string>();
  c.sent_at = instant_from_json(required(j, "sent_at"));
  c.transaction_reference = get_optional<std::string>(j, "transaction_reference");
  c.send_late = j.value("send_late", false);
  c.customer = get_optional<edifact::UtilmdParty>(j, "customer");
  c.correspondence = get_optional<edifact::UtilmdParty>(j, "correspondence");
  c.product_code = j.value("product_code", StartSwitch{}.product_code);
  c.household = j.value("household", true);
  c.enfg = j.value("enfg", StartSwitch{}.enfg);
}
void to_json(Json& j, const ReceiveNbMessage& c) {
  j = object_of("message", Json(c.message), "received_at", instant_to_json(c.received_at));
  put_optional(j, "existing_supplier", c.existing_supplier);
}
void from_json(const Json& j, ReceiveNbMessage& c) {
  c.message = required(j, "message").get<UtilmdVorgang>();
  c.received_at = instant_from_json(required(j, "received_at"));
  c.existing_supplier = get_optional<std::string>(j, "existing_supplier");
}

template <class F, FieldsOf<AnmeldungSent> V>
void json_fields(F& f, V& e) {
  f("anmeldung", e.anmeldung);
  f("sent_at", e.sent_at);
  f("latest_uebertragungstag", e.latest_uebertragungstag);
  f("answer_due", e.answer_due);
  f("lead_time_missed", e.lead_time_missed);
}
MAKO_GPKE_JSON_FROM_FIELDS(AnmeldungSent)
template <class F, FieldsOf<ExistingAssignmentInformed> V>
void json_fields(F& f, V& e) {
  f("transaction_reference", e.transaction_reference);
  f("received_at", e.received_at);
  f("existing_supplier", e.existing_supplier);
}
MAKO_GPKE_JSON_FROM_FIELDS(ExistingAssignmentInformed)
template <class F, FieldsOf<NbConfirmed> V>
void json_fields(F& f, V& e) {
  f("transaction_reference", e.transaction_reference);
  f("received_at", e.received_at);
  f("in_time", e.in_time);
}
MAKO_GPKE_JSON_FROM_FIELDS(NbConfirmed)
template <class F, FieldsOf<NbRejected> V>
void json_fields(F& f, V& e) {
  f("transaction_reference", e.transaction_reference);
  f("answer_code", e.answer_code);
  f("received_at", e.received_at);
  f("in_time", e.in_time);
}
MAKO_GPKE_JSON_FROM_FIELDS(NbRejected)

const char* to_string(LfnLieferbeginnStatus s) {
  switch (s) {
    case LfnLieferbeginnStatus::New: return "New";
    case LfnLieferbeginnStatus::Pending: return "Pending";
    case LfnLieferbeginnStatus::Confirmed: return "Confirmed";
    case LfnLieferbeginnStatus::Rejected: return "Rejected";
  }
  return "?";
}

std::string LfnLieferbeginn::status(const State& s) const {
  switch (s.status) {
    case LfnLieferbeginnStatus::New: return "new";
    case LfnLieferbeginnStatus::Pending: return "awaiting answer";
    case LfnLieferbeginnStatus::Confirmed: return "confirmed";
    case LfnLieferbeginnStatus::Rejected: return "rejected";
  }
  return "unknown";
}

void to_json(Json& j, const LfnLieferbeginnState& s) {
  j = object_of("status", to_string(s.status));
  if (s.anmeldung) put(j, "anmeldung", Json(*s.anmeldung));
  put_optional_instant(j, "sent_at", s.sent_at);
  put_optional_instant(j, "answer_due", s.answer_due);
  put(j, "lead_time_missed", s.lead_time_missed);
  put(j, "existing_assignment", s.existing_assignment);
  put_optional(j, "existing_supplier", s.existing_supplier);
  put_optional(j, "answer_code", s.answer_code);
  put(j, "steps", Json(s.steps));
}
void from_json(const Json& j, LfnLieferbeginnState& s) {
  s = {};
  const auto status = required(j, "status").get<std::string>();
  for (auto c : {LfnLieferbeginnStatus::New, LfnLieferbeginnStatus::Pending, LfnLieferbeginnStatus::Confirmed,
                 LfnLieferbeginnStatus::Rejected})
    if (status == to_string(c)) s.status = c;
  s.anmeldung = get_optional<UtilmdVorgang>(j, "anmeldung");
  s.sent_at = get_optional_instant(j, "sent_at");
  s.answer_due = get_optional_instant(j, "answer_due");
  s.lead_time_missed = j.value("lead_time_missed", false);
  s.existing_assignment = j.value("existing_assignment", false);
  s.existing_supplier = get_optional<std::string>(j, "existing_supplier");
  s.answer_code = get_optional<std::string>(j, "answer_code");
  if (j.contains("steps")) s.steps = j["steps"].get<StepLog>();
}

void LfnLieferbeginn::apply(State& s, const Event& e) const {
  std::visit(
      [&](const auto& ev) {
        using T = std::decay_t<decltype(ev)>;
        if constexpr (std::is_same_v<T, AnmeldungSent>) {
          s.status = LfnLieferbeginnStatus::Pending;
          s.anmeldung = ev.anmeldung;
          s.sent_at = ev.sent_at;
          s.answer_due = ev.answer_due;
          s.lead_time_missed = ev.lead_time_missed;
        } else if constexpr (std::is_same_v<T, ExistingAssignmentInformed>) {
          s.existing_assignment = true;
          s.existing_supplier = ev.existing_supplier;
        } else if constexpr (std::is_same_v<T, NbConfirmed>) {
          s.status = LfnLieferbeginnStatus::Confirmed;
        } else if constexpr (std::is_same_v<T, NbRejected>) {
          s.status = LfnLieferbeginnStatus::Rejected;
          s.answer_code = ev.answer_code;
        } else {
          s.steps.record(ev);
        }
      },
      e.value);
}

WorkflowOutput<LfnLieferbeginn::Event> LfnLieferbeginn::handle(const State& s, const Command& c) const {
  using Out = WorkflowOutput<Event>;
  const auto& cal = *calendar;
  if (const auto* start = c.get_if<StartSwitch>()) {
    if (s.status != LfnLieferbeginnStatus::New) throw WorkflowError::invalid_state("New", to_string(s.status));
    if (start->transaction_reason != "E01" && start->transaction_reason != "E03")
      throw WorkflowError::validation("transaction_reason: expected E01 or E03, got '" + start->transaction_reason +
                                      "'");
    OutboundUtilmd p;
    auto& v = p.vorgang;
    v.pid = "55001";
    v.transaction_reference = start->transaction_reference.value_or(
        derive_vorgangsnummer(start->lfn, start->malo + "/" + calendar::to_iso_string(start->start), 55001));
    v.malo = start->malo;
    v.start = start->start;
    v.transaction_reason = start->transaction_reason;
    v.sender = start->lfn;
    v.receiver = start->nb;
    v.supplement = "ZW4";  // verbrauchende Marktlokation
    validate_vorgang(v, 55001);
    if (!start->customer || start->customer->name.empty())
      throw WorkflowError::validation(
          "customer: the Anmeldung needs the customer's name (AHB 55001: SG12 NAD+Z09 "
          "Kunde des Lieferanten is Muss)");
    const auto& address = start->correspondence ? *start->correspondence : *start->customer;
    if (address.street.empty() || address.postcode.empty() || address.city.empty())
      throw WorkflowError::validation(std::string(start->correspondence ? "correspondence" : "customer") +
                                      ": street, postcode and city are needed (AHB 55001: SG12 NAD+Z04 "
                                      "Korrespondenzanschrift is Muss)");
    if (start->enfg != "ZF9" && start->enfg != "ZG0" && start->enfg != "ZG1")
      throw WorkflowError::validation("enfg: expected ZF9, ZG0 or ZG1, got '" + start->enfg + "'");
    if (start->product_code.size() != 13 || start->product_code.find_first_not_of("0123456789") != std::string::npos)
      throw WorkflowError::validation("product_code: expected a 13-digit Produkt-Code, got '" + start->product_code +
                                      "'");
    v.customer = start->customer;
    v.correspondence = start->correspondence ? start->correspondence : start->customer;
    v.product_code = start->product_code;
    v.household = start->household;
    v.enfg = start->enfg;
    const Date latest = latest_uebertragungstag(start->start, cal);
    const bool late = !lead_time_kept(start->start, start->sent_at, cal);
    if (late && !start->send_late)
      throw WorkflowError::rejected("lead time missed: the ÜT " +
                                    calendar::to_iso_string(calendar::transfer_day(start->sent_at)) +
                                    " is after the latest ÜT " + calendar::to_iso_string(latest) + " for start " +
                                    calendar::to_iso_string(start->start));
    p.sent_at = start->sent_at;
    p.due = calendar::latest_transfer_deadline_for_start(calendar::berlin_start_of_day(start->start), cal);
    const Instant answer_due_at = answer_due(55001, 55002, start->sent_at, cal);
    Out out;
    out.events.push_back(AnmeldungSent{v, start->sent_at, latest, answer_due_at, late});
    out.register_key({"malo", v.malo});
    emit(out, p);
    out.schedule(deadline_request(kNbAnswerWatchdog, answer_due_at));
    return out;
  }
  if (const auto* rx = c.get_if<ReceiveNbMessage>()) {
    if (s.status == LfnLieferbeginnStatus::New) throw WorkflowError::invalid_state("Pending", to_string(s.status));
    const auto& m = rx->message;
    validate_vorgang(m);
    if (m.referenced_transaction != s.anmeldung->transaction_reference)
      throw WorkflowError::validation("referenced_transaction: does not quote the 55001 " +
                                      s.anmeldung->transaction_reference);
    Out out;
    if (m.pid == "55036") {
      out.events.push_back(ExistingAssignmentInformed{m.transaction_reference, rx->received_at, rx->existing_supplier});
      return out;
    }
    if (m.pid != "55002" && m.pid != "55003")
      throw WorkflowError::validation("pid: expected 55036, 55002 or 55003, got '" + m.pid + "'");
    if (s.status != LfnLieferbeginnStatus::Pending) throw WorkflowError::invalid_state("Pending", to_string(s.status));
    const bool in_time = rx->received_at <= *s.answer_due;
    if (m.pid == "55002") out.events.push_back(NbConfirmed{m.transaction_reference, rx->received_at, in_time});
    else out.events.push_back(NbRejected{m.transaction_reference, m.answer_code, rx->received_at, in_time});
    return out;
  }
  const auto& d = *c.get_if<DeadlineReached>();
  if (d.name != kNbAnswerWatchdog) throw WorkflowError::validation("unknown deadline '" + d.name + "' for " + kName);
  Out out;
  if (s.status == LfnLieferbeginnStatus::Pending)
    out.events.push_back(AnswerDeadlineMissed{d.name, *s.answer_due, d.at});
  return out;
}

}  // namespace mako::gpke
