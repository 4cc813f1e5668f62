#include "mako/domain/edifact/ahb_check.hpp"

#include <algorithm>

#include "mako/domain/edifact/datetime.hpp"
#include "mako/domain/edifact/message_release.hpp"
#include "mako/domain/edifact/utilmd_rules.hpp"

namespace mako::edifact {
using F = UtilmdField;

bool carries(const UtilmdTransaction& t, F f) {
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

void clear(UtilmdTransaction& t, F f) {
  switch (f) {
    case F::Start: t.start.reset(); break;
    case F::End: t.end.reset(); break;
    case F::EndNextPossible: t.end_next_possible.reset(); break;
    case F::RequestReceived: t.request_received_on.reset(); break;
    case F::PendingStart: t.pending_start.reset(); break;
    case F::NextProcessing: t.next_processing.reset(); break;
    case F::DeviceRemoval: t.device_removal.reset(); break;
    case F::Supplement: t.reason_supplement.clear(); break;
    case F::Answer: t.answer_code.reset(), t.answer_code_list.clear(); break;
    case F::ThirdPartyAnswer: t.third_party_answer_code.reset(), t.third_party_answer_code_list.clear(); break;
    case F::Remark: t.remark.reset(); break;
    case F::Malo: t.malo_id.clear(); break;
    case F::ReferencedTransaction: t.referenced_transaction.reset(); break;
    case F::PlannedProductPackage: t.planned_product_package.reset(); break;
    case F::ProductPackage: t.product_code.reset(); break;
    case F::MaloInfo: t.malo_info = false; break;
    case F::Household: t.household.reset(); break;
    case F::AnnualConsumption: t.annual_consumption_kwh.reset(); break;
    case F::Enfg: t.enfg.reset(); break;
    case F::Customer: t.customer.reset(); break;
    case F::Correspondence: t.correspondence.reset(); break;
    case F::OtherParty: t.other_party.reset(); break;
  }
}

namespace {

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
    case AhbCondition::Kind::FieldAbsent: return !carries(t, c.other);
  }
  return false;
}

const AhbFieldRule* rule_for(const UtilmdPidRules& rules, F f) {
  const AhbFieldRule* rule = nullptr;
  for (const auto& r : rules.fields)
    if (r.field == f) rule = &r;
  return rule;
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

bool admits(const UtilmdPidRules& rules, F f, const UtilmdTransaction& t) {
  const AhbFieldRule* rule = rule_for(rules, f);
  return rule && holds(rule->when, t);
}

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
      add("SG4 STS+7", "Transaktionsgrund", "is '" + t.reason + "'; " + t.pid + " admits " + list(rules->reasons));
    if (rules->supplements.empty() ? !t.reason_supplement.empty() : !contains(rules->supplements, t.reason_supplement))
      add("SG4 STS+7", "Transaktionsgrundergänzung",
          "is '" + t.reason_supplement + "'; " + t.pid + " admits " + list(rules->supplements));
    if (t.answer_code) {
      if (!contains(rules->answer_ebds, t.answer_code_list)) {
        add("SG4 STS+E01", "EBD Nr.",
            "is '" + t.answer_code_list + "'; " + t.pid + " admits " + list(rules->answer_ebds));
      } else {
        const EbdCode* code = find_ebd_code(t.answer_code_list, *t.answer_code);
        const bool consent = rules->answer_kind == UtilmdPidRules::AnswerKind::Consent;
        if (!code) add("SG4 STS+E01", "Antwortcode", "'" + *t.answer_code + "' is not a code of " + t.answer_code_list);
        else if (code->consent != consent)
          add("SG4 STS+E01", "Antwortcode",
              "'" + *t.answer_code + "' is " + (code->consent ? "a Zustimmung" : "an Ablehnung") + " of " +
                  t.answer_code_list + "; " + t.pid + " is " + (consent ? "a Bestätigung" : "an Ablehnung"));
      }
    }
    if (t.third_party_answer_code && t.third_party_answer_code_list != "E_0624")
      add("SG4 STS+Z35", "EBD Nr.", "is '" + t.third_party_answer_code_list + "'; admitted: E_0624");
    for (F f : kUtilmdFields) {
      const AhbFieldRule* rule = rule_for(*rules, f);
      const bool applies = rule && holds(rule->when, t);
      const bool here = carries(t, f);
      if (here == applies) continue;  // present where admitted, absent where not: fine
      const std::string segment(segment_of(f)), name(ahb_name_of(f));
      if (here && !applies) {
        if (!rule) add(segment, name, "is not part of the Prüfschablone of " + t.pid);
        else
          add(segment, name,
              "must not be sent: its condition " + std::string(rule->when.text) + " does not hold in " + t.pid);
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
