#pragma once
// The members of the typed EDIFACT model (UTILMD, APERAK, CONTRL and their parts) by name, listed
// once (their headers describe each): code that maps the model member by member -- the Python
// bindings, both ways -- visits this list instead of naming every member again. for_each_field(f, x) calls f("name",
// x.member) per member in declaration order; x is const (reading the model) or not (filling it).
#include <concepts>
#include <type_traits>

#include "mako/domain/edifact/aperak.hpp"
#include "mako/domain/edifact/contrl.hpp"
#include "mako/domain/edifact/interchange.hpp"
#include "mako/domain/edifact/market_partner.hpp"
#include "mako/domain/edifact/utilmd.hpp"

namespace mako::edifact {

template <class V, class T>
concept ModelOf = std::same_as<std::remove_const_t<V>, T>;

template <class F, ModelOf<MarketPartner> V>
void for_each_field(F&& f, V& p) {
  f("id", p.id);
  f("code_list", p.code_list);
}

template <class F, ModelOf<UtilmdParty> V>
void for_each_field(F&& f, V& p) {
  f("name", p.name);
  f("company", p.company);
  f("street", p.street);
  f("city", p.city);
  f("postcode", p.postcode);
  f("country", p.country);
}

template <class F, ModelOf<UtilmdTransaction> V>
void for_each_field(F&& f, V& t) {
  f("reference", t.reference);
  f("start", t.start);
  f("end", t.end);
  f("end_next_possible", t.end_next_possible);
  f("request_received_on", t.request_received_on);
  f("pending_start", t.pending_start);
  f("next_processing", t.next_processing);
  f("device_removal", t.device_removal);
  f("reason", t.reason);
  f("reason_supplement", t.reason_supplement);
  f("answer_code", t.answer_code);
  f("answer_code_list", t.answer_code_list);
  f("third_party_answer_code", t.third_party_answer_code);
  f("third_party_answer_code_list", t.third_party_answer_code_list);
  f("remark", t.remark);
  f("malo_id", t.malo_id);
  f("pid", t.pid);
  f("referenced_transaction", t.referenced_transaction);
  f("planned_product_package", t.planned_product_package);
  f("product_code", t.product_code);
  f("malo_info", t.malo_info);
  f("annual_consumption_kwh", t.annual_consumption_kwh);
  f("household", t.household);
  f("enfg", t.enfg);
  f("customer", t.customer);
  f("correspondence", t.correspondence);
  f("other_party", t.other_party);
  f("other_segments", t.other_segments);
}

template <class F, ModelOf<UtilmdMessage> V>
void for_each_field(F&& f, V& u) {
  f("reference", u.reference);
  f("association", u.association);
  f("document_code", u.document_code);
  f("document_number", u.document_number);
  f("message_date", u.message_date);
  f("sender", u.sender);
  f("receiver", u.receiver);
  f("transactions", u.transactions);
}

template <class F, ModelOf<Party> V>
void for_each_field(F&& f, V& p) {
  f("id", p.id);
  f("qualifier", p.qualifier);
  f("routing", p.routing);
}

template <class F, ModelOf<AperakError> V>
void for_each_field(F&& f, V& e) {
  f("code", e.code);
  f("faulty_value", e.faulty_value);
  f("text", e.text);
  f("location", e.location);
}

template <class F, ModelOf<AperakMessage> V>
void for_each_field(F&& f, V& a) {
  f("reference", a.reference);
  f("association", a.association);
  f("positive", a.positive);
  f("document_number", a.document_number);
  f("message_date", a.message_date);
  f("referenced_document", a.referenced_document);
  f("referenced_date", a.referenced_date);
  f("referenced_message", a.referenced_message);
  f("transaction_ref", a.transaction_ref);
  f("sender", a.sender);
  f("receiver", a.receiver);
  f("errors", a.errors);
}

template <class F, ModelOf<ContrlElementError> V>
void for_each_field(F&& f, V& e) {
  f("error_code", e.error_code);
  f("element_position", e.element_position);
  f("component_position", e.component_position);
}

template <class F, ModelOf<ContrlSegmentError> V>
void for_each_field(F&& f, V& s) {
  f("segment_position", s.segment_position);
  f("error_code", s.error_code);
  f("element_errors", s.element_errors);
}

template <class F, ModelOf<ContrlMessageResponse> V>
void for_each_field(F&& f, V& m) {
  f("message_reference", m.message_reference);
  f("message_type", m.message_type);
  f("version", m.version);
  f("release", m.release);
  f("agency", m.agency);
  f("association", m.association);
  f("action", m.action);
  f("error_code", m.error_code);
  f("service_segment", m.service_segment);
  f("segment_errors", m.segment_errors);
}

template <class F, ModelOf<ContrlMessage> V>
void for_each_field(F&& f, V& c) {
  f("reference", c.reference);
  f("association", c.association);
  f("interchange_reference", c.interchange_reference);
  f("interchange_sender", c.interchange_sender);
  f("interchange_receiver", c.interchange_receiver);
  f("action", c.action);
  f("error_code", c.error_code);
  f("service_segment", c.service_segment);
  f("messages", c.messages);
}

}  // namespace mako::edifact
