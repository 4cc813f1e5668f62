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

void read_fields(const Json& j, UtilmdVorgang& v) {
    v.pid = required(j, "pid").get<std::string>();
    v.transaction_reference = required(j, "transaction_reference").get<std::string>();
    v.referenced_transaction = get_optional<std::string>(j, "referenced_transaction");
    v.malo = required(j, "malo").get<std::string>();
    v.start = get_optional_date(j, "start");
    v.transaction_reason = j.value("transaction_reason", std::string{});
    v.answer_code = get_optional<std::string>(j, "answer_code");
    v.sender = required(j, "sender").get<std::string>();
    v.receiver = required(j, "receiver").get<std::string>();
    v.supplement = get_optional<std::string>(j, "supplement");
    v.end = get_optional_date(j, "end");
    v.end_next_possible = get_optional_date(j, "end_next_possible");
    v.request_received_on = get_optional_date(j, "request_received_on");
    v.device_removal = get_optional_date(j, "device_removal");
    v.third_party_answer_code = get_optional<std::string>(j, "third_party_answer_code");
    v.remark = get_optional<std::string>(j, "remark");
    v.other_party = get_optional<std::string>(j, "other_party");
    v.customer = get_optional<edifact::UtilmdParty>(j, "customer");
    v.correspondence = get_optional<edifact::UtilmdParty>(j, "correspondence");
    v.product_code = get_optional<std::string>(j, "product_code");
    v.household = get_optional<bool>(j, "household");
    v.enfg = get_optional<std::string>(j, "enfg");
    v.annual_consumption_kwh = get_optional<std::string>(j, "annual_consumption_kwh");
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
    return edifact::looks_like_pid(v.pid) ? static_cast<std::uint32_t>(std::stoul(v.pid)) : 0;
}

void validate_vorgang(const UtilmdVorgang& v, std::uint32_t expected_pid) {
    if (expected_pid != 0 && pid_number(v) != expected_pid)
        throw WorkflowError::validation("pid: expected " + std::to_string(expected_pid) + ", got '" + v.pid + "'");
    if (v.transaction_reference.empty()) throw WorkflowError::validation("transaction_reference: must not be empty");
    // Answers such as 55003 or 55011 carry no LOC+Z16 (AHB): their MaLo is the request's.
    if (!v.malo.empty() || carries_malo(v.pid))
        if (auto why = ids::why_invalid_malo_id(v.malo)) throw WorkflowError::validation("malo: " + *why);
    if (auto why = ids::why_invalid_mp_id(v.sender)) throw WorkflowError::validation("sender: " + *why);
    if (auto why = ids::why_invalid_mp_id(v.receiver)) throw WorkflowError::validation("receiver: " + *why);
}

}  // namespace mako::gpke
