#include "mako/domain/gpke/outbound_utilmd.hpp"

#include "mako/domain/edifact/envelope.hpp"
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

OutboundMessage to_outbound_message(const OutboundUtilmd& payload) {
    OutboundMessage m;
    m.step = send_step(payload.vorgang.pid);
    m.recipient = payload.vorgang.receiver;
    m.message_type = "UTILMD";
    m.payload = Json(payload);
    return m;
}

std::string document_code_for_pid(const std::string& pid) {
    if (pid == "55001" || pid == "55002" || pid == "55003" || pid == "55036") return "E01";
    if (pid == "55016" || pid == "55017" || pid == "55018") return "E35";
    return "E02";
}

edifact::MarketPartner market_partner(std::string mp_id) {
    const char* code_list = "293";
    switch (ids::mp_id_kind_of_prefix(mp_id)) {
        case ids::MpIdKind::Bdew: code_list = "293"; break;
        case ids::MpIdKind::Dvgw: code_list = "332"; break;
        case ids::MpIdKind::Gs1: code_list = "9"; break;
    }
    return {std::move(mp_id), code_list};
}

edifact::UtilmdMessage render_utilmd(OutboundUtilmd&& p, std::string message_reference) {
    auto& v = p.vorgang;
    edifact::UtilmdMessage u;
    u.reference = std::move(message_reference);
    u.document_code = document_code_for_pid(v.pid);
    u.document_number = v.transaction_reference;  // also the transaction's reference (moved below)
    u.message_date = p.sent_at;
    u.sender = market_partner(std::move(v.sender));
    u.receiver = market_partner(std::move(v.receiver));
    edifact::UtilmdTransaction t;
    t.reference = std::move(v.transaction_reference);
    if (v.start) t.start = calendar::berlin_start_of_day(*v.start);
    t.reason = std::move(v.transaction_reason);
    t.answer_code = std::move(v.answer_code);
    t.malo_id = std::move(v.malo);
    t.pid = std::move(v.pid);
    t.referenced_transaction = std::move(v.referenced_transaction);
    u.transactions.push_back(std::move(t));
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
    return edifact::write_utilmd_interchange(render_utilmd(payload, std::move(message_reference)),
                                             interchange_reference, payload.sent_at);
}

}  // namespace mako::gpke
