#pragma once
// The members of the UTILMD model by name, listed once (utilmd.hpp describes each): code that maps
// the model member by member -- the Python bindings, both ways -- visits this list instead of naming
// every member again. for_each_field(f, x) calls f("name", x.member) per member in declaration
// order; x is const (reading the model) or not (filling it).
#include <concepts>
#include <type_traits>

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

}  // namespace mako::edifact
