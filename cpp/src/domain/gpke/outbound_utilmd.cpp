#include "mako/domain/gpke/outbound_utilmd.hpp"

#include <algorithm>
#include <stdexcept>

#include "mako/domain/edifact/ahb_check.hpp"
#include "mako/domain/edifact/envelope.hpp"
#include "mako/domain/edifact/message_release.hpp"
#include "mako/domain/edifact/utilmd_rules.hpp"
#include "mako/domain/identifiers/mp_id.hpp"

namespace mako::gpke {

void to_json(Json& j, const OutboundUtilmd& p) {
  j = Json::object();
  write_fields(j, p.vorgang);
  put(j, "sent_at", instant_to_json(p.sent_at));
  put_optional_instant(j, "due", p.due);
  put_optional(j, "reason", p.reason);
  put_optional_date(j, "pending_start", p.pending_start);
  put_optional(j, "existing_supplier", p.existing_supplier);
}

void from_json(const Json& j, OutboundUtilmd& p) {
  read_fields(j, p.vorgang);
  p.sent_at = instant_from_json(required(j, "sent_at"));
  p.due = get_optional_instant(j, "due");
  p.reason = get_optional<std::string>(j, "reason");
  p.pending_start = get_optional_date(j, "pending_start");
  p.existing_supplier = get_optional<std::string>(j, "existing_supplier");
}

std::string send_step(const std::string& pid) { return "Send" + pid; }

namespace {

// Whether the PID's Prüfschablone names `field` at all (under any condition).
bool names(const edifact::UtilmdPidRules& rules, edifact::UtilmdField field) {
  for (const auto& r : rules.fields)
    if (r.field == field) return true;
  return false;
}

// The payload keeps the business data its message can carry: an answer copied from its request
// does not store the request's customer, product and address again (render_utilmd would drop
// them anyway). Release-independent: the field lists are the same in S2.1 and S2.2.
OutboundUtilmd trimmed(const OutboundUtilmd& payload) {
  const auto* rules = edifact::find_utilmd_rules(payload.vorgang.pid, "S2.1");
  if (!rules) return payload;
  OutboundUtilmd p = payload;
  auto& v = p.vorgang;
  using F = edifact::UtilmdField;
  if (!names(*rules, F::Customer)) v.customer.reset();
  if (!names(*rules, F::Correspondence)) v.correspondence.reset();
  if (!names(*rules, F::ProductPackage)) v.product_code.reset();
  if (!names(*rules, F::Household)) v.household.reset();
  if (!names(*rules, F::Enfg)) v.enfg.reset();
  if (!names(*rules, F::AnnualConsumption)) v.annual_consumption_kwh.reset();
  if (!names(*rules, F::RequestReceived)) v.request_received_on.reset();
  return p;
}

}  // namespace

OutboundMessage to_outbound_message(const OutboundUtilmd& payload) {
  OutboundMessage m;
  m.step = send_step(payload.vorgang.pid);
  m.recipient = payload.vorgang.receiver;
  m.message_type = "UTILMD";
  m.payload = Json(trimmed(payload));
  return m;
}

std::string document_code_for_pid(const std::string& pid) {
  // The BGM code of the PID's Prüfschablone (the same in every supported release).
  for (const auto& rules : edifact::utilmd_rules())
    if (rules.pid == pid) return std::string(rules.document_codes.front());
  return "E02";
}

edifact::MarketPartner market_partner(std::string mp_id) {
  const char* code_list = "293";
  switch (identifiers::mp_id_kind_of_prefix(mp_id)) {
    case identifiers::MpIdKind::Bdew: code_list = "293"; break;
    case identifiers::MpIdKind::Dvgw: code_list = "332"; break;
    case identifiers::MpIdKind::Gs1: code_list = "9"; break;
  }
  return {std::move(mp_id), code_list};
}

namespace {

using edifact::UtilmdField;

// The EBD whose code list holds `code` with the right meaning (a 55003 may answer from E_0622,
// the Vorprüfung, or E_0623); the first EBD of the PID otherwise.
std::string ebd_for(const edifact::UtilmdPidRules& rules, const std::string& code) {
  if (const auto* c = edifact::find_answer_code(rules, code)) return std::string(c->ebd);
  return rules.answer_ebds.empty() ? std::string() : std::string(rules.answer_ebds.front());
}

// The transaction for the PID's Prüfschablone: the process data it admits, nothing else.
edifact::UtilmdTransaction shape(UtilmdVorgang&& v, const edifact::UtilmdPidRules* rules,
                                 const std::optional<Date>& pending_start) {
  edifact::UtilmdTransaction t;
  t.reference = std::move(v.transaction_reference);
  t.reason = std::move(v.transaction_reason);
  t.reason_supplement = v.supplement.value_or("");
  t.answer_code = std::move(v.answer_code);
  t.third_party_answer_code = std::move(v.third_party_answer_code);
  t.remark = std::move(v.remark);
  t.malo_id = std::move(v.malo);
  t.pid = std::move(v.pid);
  t.referenced_transaction = std::move(v.referenced_transaction);
  if (v.start) t.start = calendar::berlin_start_of_day(*v.start);
  if (v.end) t.end = calendar::berlin_start_of_day(*v.end);
  if (v.end_next_possible) t.end_next_possible = calendar::berlin_start_of_day(*v.end_next_possible);
  if (v.request_received_on) t.request_received_on = std::chrono::sys_days(*v.request_received_on);
  if (pending_start) t.pending_start = calendar::berlin_start_of_day(*pending_start);
  if (v.device_removal) t.device_removal = calendar::berlin_start_of_day(*v.device_removal);
  if (v.other_party) t.other_party = market_partner(std::move(*v.other_party));
  t.customer = std::move(v.customer);
  t.correspondence = std::move(v.correspondence);
  t.product_code = std::move(v.product_code);
  t.household = v.household;
  t.enfg = std::move(v.enfg);
  t.annual_consumption_kwh = std::move(v.annual_consumption_kwh);
  if (!rules) return t;  // a PID without rules is sent as the process gave it

  // Codes the PID admits: the process's own when admitted, else the PID's (e.g. 55036 is Z26).
  auto listed = [](const std::vector<std::string_view>& codes, const std::string& c) {
    return std::find(codes.begin(), codes.end(), c) != codes.end();
  };
  if (!listed(rules->reasons, t.reason) && !rules->reasons.empty()) t.reason = std::string(rules->reasons.front());
  if (rules->supplements.empty()) t.reason_supplement.clear();
  else if (!listed(rules->supplements, t.reason_supplement))
    t.reason_supplement = std::string(rules->supplements.front());
  if (t.answer_code && !rules->answer_ebds.empty()) t.answer_code_list = ebd_for(*rules, *t.answer_code);
  if (t.third_party_answer_code) t.third_party_answer_code_list = "E_0624";

  // Dates: an end-of-supply message says "Ende zum" where the process knows the new start.
  if (!t.end && edifact::admits(*rules, UtilmdField::End, t) && !t.end_next_possible) t.end = t.start;
  if (edifact::admits(*rules, UtilmdField::PendingStart, t) && !t.next_processing) t.next_processing = t.pending_start;
  if (edifact::admits(*rules, UtilmdField::PlannedProductPackage, t)) t.planned_product_package = "1";
  t.malo_info = edifact::admits(*rules, UtilmdField::MaloInfo, t);
  if (!t.correspondence && edifact::admits(*rules, UtilmdField::Correspondence, t)) t.correspondence = t.customer;

  // What the Prüfschablone does not admit (here, under its conditions) is not sent.
  for (const UtilmdField field : edifact::kUtilmdFields)
    if (!edifact::admits(*rules, field, t)) edifact::clear(t, field);
  if (t.customer) {
    // NAD+Z09 names the customer; the address belongs to NAD+Z04.
    t.customer->street.clear();
    t.customer->postcode.clear();
    t.customer->city.clear();
    t.customer->country.clear();
  }
  return t;
}

}  // namespace

edifact::UtilmdMessage render_utilmd(OutboundUtilmd&& p, std::string message_reference) {
  auto& v = p.vorgang;
  edifact::UtilmdMessage u;
  u.reference = std::move(message_reference);
  u.association = edifact::require_release("UTILMD", p.sent_at);
  const auto* rules = edifact::find_utilmd_rules(v.pid, u.association);
  u.document_code = document_code_for_pid(v.pid);
  u.document_number = v.transaction_reference;  // also the transaction's reference (moved below)
  u.message_date = p.sent_at;
  u.sender = market_partner(std::move(v.sender));
  u.receiver = market_partner(std::move(v.receiver));
  if (!v.other_party && p.existing_supplier) v.other_party = std::move(p.existing_supplier);  // 55036
  const auto pending = p.pending_start;
  u.transactions.push_back(shape(std::move(v), rules, pending));
  // Never put on the wire what the partner must reject: a process that lacks data its PID's
  // AHB makes mandatory fails here, and the outbox keeps the message (retry, dead letter).
  if (const auto violations = edifact::check_utilmd_ahb(u); !violations.empty()) {
    std::string text = "refusing to send a UTILMD that breaks its AHB rules: " + violations.front().message();
    if (violations.size() > 1) text += " (and " + std::to_string(violations.size() - 1) + " more)";
    throw std::invalid_argument(text);
  }
  return u;
}

edifact::UtilmdMessage render_utilmd(const OutboundUtilmd& p, std::string message_reference) {
  return render_utilmd(OutboundUtilmd(p), std::move(message_reference));
}

edifact::UtilmdMessage render_utilmd(const Json& payload, std::string message_reference) {
  return render_utilmd(payload.get<OutboundUtilmd>(), std::move(message_reference));
}

edifact::Interchange render_utilmd_interchange(const Json& payload, std::string interchange_reference,
                                               std::string message_reference) {
  const auto p = payload.get<OutboundUtilmd>();
  auto u = render_utilmd(p, std::move(message_reference));
  return edifact::make_interchange(u.sender, u.receiver, std::move(interchange_reference), p.sent_at,
                                   {edifact::build_utilmd(u)});
}

std::string render_utilmd_bytes(OutboundUtilmd&& payload, std::string_view interchange_reference,
                                std::string message_reference) {
  const auto sent_at = payload.sent_at;
  return edifact::write_utilmd_interchange(render_utilmd(std::move(payload), std::move(message_reference)),
                                           interchange_reference, sent_at);
}

std::string render_utilmd_bytes(const OutboundUtilmd& payload, std::string_view interchange_reference,
                                std::string message_reference) {
  return edifact::write_utilmd_interchange(render_utilmd(payload, std::move(message_reference)), interchange_reference,
                                           payload.sent_at);
}

}  // namespace mako::gpke
