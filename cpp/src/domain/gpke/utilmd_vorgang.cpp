#include "mako/domain/gpke/utilmd_vorgang.hpp"

#include "mako/core/errors.hpp"
#include "mako/domain/edifact/pid.hpp"
#include "mako/domain/identifiers/malo_id.hpp"
#include "mako/domain/identifiers/mp_id.hpp"

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
    return v;
}

std::uint32_t pid_number(const UtilmdVorgang& v) {
    return edifact::looks_like_pid(v.pid) ? static_cast<std::uint32_t>(std::stoul(v.pid)) : 0;
}

void validate_vorgang(const UtilmdVorgang& v, std::uint32_t expected_pid) {
    if (expected_pid != 0 && pid_number(v) != expected_pid)
        throw WorkflowError::validation("pid: expected " + std::to_string(expected_pid) + ", got '" + v.pid + "'");
    if (v.transaction_reference.empty()) throw WorkflowError::validation("transaction_reference: must not be empty");
    if (auto why = ids::why_invalid_malo_id(v.malo)) throw WorkflowError::validation("malo: " + *why);
    if (auto why = ids::why_invalid_mp_id(v.sender)) throw WorkflowError::validation("sender: " + *why);
    if (auto why = ids::why_invalid_mp_id(v.receiver)) throw WorkflowError::validation("receiver: " + *why);
}

}  // namespace mako::gpke
