#include "mako/domain/gpke/utilmd_vorgang.hpp"

#include "mako/core/errors.hpp"
#include "mako/domain/edifact/pid.hpp"
#include "mako/domain/edifact/utilmd_rules.hpp"
#include "mako/domain/identifiers/malo_id.hpp"
#include "mako/domain/identifiers/mp_id.hpp"

namespace mako::edifact {

template <class F>
void json_fields(F& f, const UtilmdParty& p) {
  f("name", p.name);
  f("company", p.company);
  f("street", p.street);
  f("postcode", p.postcode);
  f("city", p.city);
  f("country", p.country);
}
void to_json(Json& j, const UtilmdParty& p) { j = gpke::fields_to_json(p); }
void to_json_text(std::string& out, const UtilmdParty& p) { gpke::fields_to_text(out, p); }
void from_json(const Json& j, UtilmdParty& p) {
  p.name = gpke::required(j, "name").get<std::string>();
  p.company = j.value("company", false);
  p.street = j.value("street", std::string{});
  p.postcode = j.value("postcode", std::string{});
  p.city = j.value("city", std::string{});
  p.country = j.value("country", std::string{});
}

}  // namespace mako::edifact

namespace mako::gpke {

template <class F>
void json_fields(F& f, const UtilmdVorgang& v) {
  f("pid", v.pid);
  f("transaction_reference", v.transaction_reference);
  f("referenced_transaction", v.referenced_transaction);
  f("malo", v.malo);
  f("start", v.start);
  f("transaction_reason", v.transaction_reason);
  f("answer_code", v.answer_code);
  f("sender", v.sender);
  f("receiver", v.receiver);
  f("supplement", v.supplement);
  f("end", v.end);
  f("end_next_possible", v.end_next_possible);
  f("request_received_on", v.request_received_on);
  f("device_removal", v.device_removal);
  f("third_party_answer_code", v.third_party_answer_code);
  f("remark", v.remark);
  f("other_party", v.other_party);
  f("customer", v.customer);
  f("correspondence", v.correspondence);
  f("product_code", v.product_code);
  f("household", v.household);
  f("enfg", v.enfg);
  f("annual_consumption_kwh", v.annual_consumption_kwh);
}

void write_fields(Json& j, const UtilmdVorgang& v) {
  j.get_ref<Json::object_t&>().reserve(j.size() + 14);
  JsonValueFields fields(j);
  json_fields(fields, v);
}

// One pass over the members (an object's lookup by name is a linear search): read on every
// event fold and every outbox render, so it is on the hot path.
void read_fields(const Json& j, UtilmdVorgang& v) {
  if (!j.is_object()) (void)required(j, "pid");  // the usual error for a non-object
  bool pid = false, reference = false, malo = false, sender = false, receiver = false;
  auto str = [](const Json& x) { return x.get<std::string>(); };
  auto opt_str = [](const Json& x) { return x.is_null() ? std::optional<std::string>() : x.get<std::string>(); };
  auto opt_date = [](const Json& x) { return x.is_null() ? std::optional<Date>() : date_from_json(x); };
  auto opt_party = [](const Json& x) {
    return x.is_null() ? std::optional<edifact::UtilmdParty>() : x.get<edifact::UtilmdParty>();
  };
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string& k = it.key();
    const Json& x = it.value();
    if (k == "pid") v.pid = str(x), pid = true;
    else if (k == "transaction_reference") v.transaction_reference = str(x), reference = true;
    else if (k == "referenced_transaction") v.referenced_transaction = opt_str(x);
    else if (k == "malo") v.malo = str(x), malo = true;
    else if (k == "start") v.start = opt_date(x);
    else if (k == "transaction_reason") v.transaction_reason = x.is_null() ? std::string() : str(x);
    else if (k == "answer_code") v.answer_code = opt_str(x);
    else if (k == "sender") v.sender = str(x), sender = true;
    else if (k == "receiver") v.receiver = str(x), receiver = true;
    else if (k == "supplement") v.supplement = opt_str(x);
    else if (k == "end") v.end = opt_date(x);
    else if (k == "end_next_possible") v.end_next_possible = opt_date(x);
    else if (k == "request_received_on") v.request_received_on = opt_date(x);
    else if (k == "device_removal") v.device_removal = opt_date(x);
    else if (k == "third_party_answer_code") v.third_party_answer_code = opt_str(x);
    else if (k == "remark") v.remark = opt_str(x);
    else if (k == "other_party") v.other_party = opt_str(x);
    else if (k == "customer") v.customer = opt_party(x);
    else if (k == "correspondence") v.correspondence = opt_party(x);
    else if (k == "product_code") v.product_code = opt_str(x);
    else if (k == "household") v.household = x.is_null() ? std::optional<bool>() : x.get<bool>();
    else if (k == "enfg") v.enfg = opt_str(x);
    else if (k == "annual_consumption_kwh") v.annual_consumption_kwh = opt_str(x);
  }
  // A missing required member: the same error as required() gives.
  if (!pid) (void)required(j, "pid");
  if (!reference) (void)required(j, "transaction_reference");
  if (!malo) (void)required(j, "malo");
  if (!sender) (void)required(j, "sender");
  if (!receiver) (void)required(j, "receiver");
}

void to_json(Json& j, const UtilmdVorgang& v) {
  j = Json::object();
  write_fields(j, v);
}
void to_json_text(std::string& out, const UtilmdVorgang& v) { fields_to_text(out, v); }
void from_json(const Json& j, UtilmdVorgang& v) { read_fields(j, v); }

UtilmdVorgang vorgang_from_utilmd(const edifact::UtilmdMessage& message, std::size_t index) {
  const auto& t = message.transactions.at(index);
  UtilmdVorgang v;
  v.pid = t.pid;
  v.transaction_reference = t.reference;
  v.referenced_transaction = t.referenced_transaction;
  v.malo = t.malo_id;
  if (t.start) v.start = calendar::berlin_date(*t.start);
  v.transaction_reason = t.reason;
  v.answer_code = t.answer_code;
  v.sender = message.sender.id;
  v.receiver = message.receiver.id;
  auto day = [](std::chrono::sys_seconds t) { return calendar::berlin_date(t); };
  if (!t.reason_supplement.empty()) v.supplement = t.reason_supplement;
  if (t.end) v.end = day(*t.end);
  if (t.end_next_possible) v.end_next_possible = day(*t.end_next_possible);
  if (t.request_received_on) v.request_received_on = Date(*t.request_received_on);
  if (t.device_removal) v.device_removal = day(*t.device_removal);
  v.third_party_answer_code = t.third_party_answer_code;
  v.remark = t.remark;
  if (t.other_party) v.other_party = t.other_party->id;
  v.customer = t.customer;
  v.correspondence = t.correspondence;
  v.product_code = t.product_code;
  v.household = t.household;
  v.enfg = t.enfg;
  v.annual_consumption_kwh = t.annual_consumption_kwh;
  return v;
}

bool carries_malo(std::string_view pid) {
  for (const auto& rules : edifact::utilmd_rules())
    if (rules.pid == pid)
      for (const auto& f : rules.fields)
        if (f.field == edifact::UtilmdField::Malo) return true;
  return !edifact::find_utilmd_rules(pid, "S2.1");  // a PID without rules: as before, MaLo required
}

std::uint32_t pid_number(const UtilmdVorgang& v) {
  const auto pid = edifact::Pid::parse(v.pid);
  return pid ? pid->number() : 0;
}

void validate_vorgang(const UtilmdVorgang& v, std::uint32_t expected_pid) {
  if (expected_pid != 0 && pid_number(v) != expected_pid)
    throw WorkflowError::validation("pid: expected " + std::to_string(expected_pid) + ", got '" + v.pid + "'");
  if (v.transaction_reference.empty()) throw WorkflowError::validation("transaction_reference: must not be empty");
  // Answers such as 55003 or 55011 carry no LOC+Z16 (AHB): their MaLo is the request's.
  if (!v.malo.empty() || carries_malo(v.pid))
    if (auto why = identifiers::why_invalid_malo_id(v.malo)) throw WorkflowError::validation("malo: " + *why);
  if (auto why = identifiers::why_invalid_mp_id(v.sender)) throw WorkflowError::validation("sender: " + *why);
  if (auto why = identifiers::why_invalid_mp_id(v.receiver)) throw WorkflowError::validation("receiver: " + *why);
}

}  // namespace mako::gpke
