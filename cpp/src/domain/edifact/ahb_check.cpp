#include "mako/domain/edifact/ahb_check.hpp"

#include <algorithm>

#include "mako/domain/edifact/datetime.hpp"
#include "mako/domain/edifact/message_release.hpp"
#include "mako/domain/edifact/utilmd_rules.hpp"

namespace mako::edifact {
namespace {

using F = UtilmdField;

constexpr F kAllFields[] = {F::Start,      F::End,           F::EndNextPossible,       F::RequestReceived,
                            F::PendingStart, F::NextProcessing, F::DeviceRemoval,     F::Answer,
                            F::ThirdPartyAnswer,
                            F::Remark,     F::Malo,          F::ReferencedTransaction, F::PlannedProductPackage,
                            F::ProductPackage, F::MaloInfo,  F::Household,             F::AnnualConsumption,
                            F::Enfg,       F::Customer,      F::Correspondence,        F::OtherParty};

bool present(const UtilmdTransaction& t, F f) {
    switch (f) {
        case F::Start: return t.start.has_value();
        case F::End: return t.end.has_value();
        case F::EndNextPossible: return t.end_next_possible.has_value();
        case F::RequestReceived: return t.request_received_on.has_value();
        case F::PendingStart: return t.pending_start.has_value();
        case F::NextProcessing: return t.next_processing.has_value();
        case F::DeviceRemoval: return t.device_removal.has_value();
        case F::Supplement: return !t.reason_supplement.empty();
        case F::Answer: return t.answer_code.has_value();
        case F::ThirdPartyAnswer: return t.third_party_answer_code.has_value();
        case F::Remark: return t.remark.has_value();
        case F::Malo: return !t.malo_id.empty();
        case F::ReferencedTransaction: return t.referenced_transaction.has_value();
        case F::PlannedProductPackage: return t.planned_product_package.has_value();
        case F::ProductPackage: return t.product_code.has_value();
        case F::MaloInfo: return t.malo_info;
        case F::Household: return t.household.has_value();
        case F::AnnualConsumption: return t.annual_consumption_kwh.has_value();
        case F::Enfg: return t.enfg.has_value();
        case F::Customer: return t.customer.has_value();
        case F::Correspondence: return t.correspondence.has_value();
        case F::OtherParty: return t.other_party.has_value();
    }
    return false;
}

bool contains(const std::vector<std::string_view>& codes, std::string_view code) {
    return std::find(codes.begin(), codes.end(), code) != codes.end();
}

std::string list(const std::vector<std::string_view>& codes) {
    std::string out;
    for (auto c : codes) out += (out.empty() ? "" : "/") + std::string(c);
    return out.empty() ? "none" : out;
}

bool holds(const AhbCondition& c, const UtilmdTransaction& t) {
    switch (c.kind) {
        case AhbCondition::Kind::Always: return true;
        case AhbCondition::Kind::SupplementIn: return contains(c.codes, t.reason_supplement);
        case AhbCondition::Kind::ReasonIn: return contains(c.codes, t.reason);
        case AhbCondition::Kind::ReasonNotIn: return !contains(c.codes, t.reason);
        case AhbCondition::Kind::AnswerIn: return t.answer_code && contains(c.codes, *t.answer_code);
        case AhbCondition::Kind::FieldAbsent: return !present(t, c.other);
    }
    return false;
}

const char* need_name(AhbNeed n) {
    switch (n) {
        case AhbNeed::Muss: return "Muss";
        case AhbNeed::Soll: return "Soll";
        case AhbNeed::Kann: return "Kann";
    }
    return "?";
}

}  // namespace

std::string AhbViolation::message() const {
    std::string out;
    if (!pid.empty()) out += pid + " ";
    if (!transaction.empty()) out += "transaction " + transaction + ": ";
    out += segment;
    if (!field.empty()) out += " (" + field + ")";
    out += " " + problem;
    return out;
}

std::vector<AhbViolation> check_utilmd_ahb(const UtilmdMessage& m) {
    std::vector<AhbViolation> out;
    const auto in_force = release_for("UTILMD", m.message_date);
    if (!in_force) {
        out.push_back({"", "", "DTM+137", "Nachrichtendatum",
                       "no UTILMD release is supported on " + format_dtm_303(m.message_date) + " (from FV2504)"});
    } else if (*in_force != m.association) {
        out.push_back({"", "", "UNH", "Versionsnummer der zugrundeliegenden BDEW-Nachrichtenbeschreibung",
                       "is " + m.association + ", but " + *in_force + " is in force on the message date"});
    }
    for (const auto& t : m.transactions) {
        auto add = [&](std::string segment, std::string field, std::string problem) {
            out.push_back({t.pid, t.reference, std::move(segment), std::move(field), std::move(problem)});
        };
        const UtilmdPidRules* rules = find_utilmd_rules(t.pid, m.association);
        if (!rules) {
            add("SG6 RFF+Z13", "Prüfidentifikator",
                "PID " + t.pid + " has no Prüfschablone in " + m.association + " that this engine supports");
            continue;
        }
        if (!contains(rules->document_codes, m.document_code))
            add("BGM", "Dokumentenname, Code",
                "is " + m.document_code + "; the Prüfschablone of " + t.pid + " admits " + list(rules->document_codes));
        if (!contains(rules->reasons, t.reason))
            add("SG4 STS+7", "Transaktionsgrund",
                "is '" + t.reason + "'; " + t.pid + " admits " + list(rules->reasons));
        if (rules->supplements.empty() ? !t.reason_supplement.empty()
                                       : !contains(rules->supplements, t.reason_supplement))
            add("SG4 STS+7", "Transaktionsgrundergänzung",
                "is '" + t.reason_supplement + "'; " + t.pid + " admits " + list(rules->supplements));
        if (t.answer_code) {
            if (!contains(rules->answer_ebds, t.answer_code_list)) {
                add("SG4 STS+E01", "EBD Nr.",
                    "is '" + t.answer_code_list + "'; " + t.pid + " admits " + list(rules->answer_ebds));
            } else {
                const EbdCode* code = find_ebd_code(t.answer_code_list, *t.answer_code);
                const bool consent = rules->answer_kind == UtilmdPidRules::AnswerKind::Consent;
                if (!code)
                    add("SG4 STS+E01", "Antwortcode",
                        "'" + *t.answer_code + "' is not a code of " + t.answer_code_list);
                else if (code->consent != consent)
                    add("SG4 STS+E01", "Antwortcode",
                        "'" + *t.answer_code + "' is " + (code->consent ? "a Zustimmung" : "an Ablehnung") +
                            " of " + t.answer_code_list + "; " + t.pid + " is " +
                            (consent ? "a Bestätigung" : "an Ablehnung"));
            }
        }
        if (t.third_party_answer_code && t.third_party_answer_code_list != "E_0624")
            add("SG4 STS+Z35", "EBD Nr.", "is '" + t.third_party_answer_code_list + "'; admitted: E_0624");
        for (F f : kAllFields) {
            const AhbFieldRule* rule = nullptr;
            for (const auto& r : rules->fields)
                if (r.field == f) rule = &r;
            const bool applies = rule && holds(rule->when, t);
            const bool here = present(t, f);
            if (here == applies) continue;  // present where admitted, absent where not: fine
            const std::string segment(segment_of(f)), name(ahb_name_of(f));
            if (here && !applies) {
                if (!rule)
                    add(segment, name, "is not part of the Prüfschablone of " + t.pid);
                else
                    add(segment, name,
                        "must not be sent: its condition " + std::string(rule->when.text) + " does not hold in " +
                            t.pid);
            } else if (!here && applies && rule->need == AhbNeed::Muss) {
                add(segment, name,
                    std::string("missing: ") + need_name(rule->need) +
                        (rule->when.text.empty() ? "" : " " + std::string(rule->when.text)) + " in " + t.pid);
            }
        }
        for (const auto& key : t.other_segments)
            add(key, "", "is not part of the Prüfschablone of " + t.pid + " (or not supported by this engine)");
    }
    return out;
}

}  // namespace mako::edifact
