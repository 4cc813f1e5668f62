#include "mako/domain/edifact/utilmd_rules.hpp"

#include <algorithm>

namespace mako::edifact {
namespace {

using F = UtilmdField;
using N = AhbNeed;
using K = AhbCondition::Kind;
using A = UtilmdPidRules::AnswerKind;

AhbFieldRule muss(F f) { return {f, N::Muss, {}}; }
AhbFieldRule kann(F f) { return {f, N::Kann, {}}; }
AhbFieldRule muss_if(F f, K kind, std::vector<std::string_view> codes, std::string_view text) {
  return {f, N::Muss, {kind, std::move(codes), F::Start, text}};
}
AhbFieldRule muss_if_absent(F f, F other, std::string_view text) {
  return {f, N::Muss, {K::FieldAbsent, {}, other, text}};
}

// Transaktionsgründe "Aufhebung einer zukünftigen Zuordnung" (55004-55006 conditions [7]/[11]).
const std::vector<std::string_view> kAufhebung = {"ZG9", "ZH1", "ZH2"};
const std::vector<std::string_view> kS21AndS22 = {"S2.1", "S2.2"};

// The Prüfschablonen, AHB UTILMD Strom (GPKE) as of FV2504/FV2510 (S2.1) and FV2610 (S2.2). Only
// the variants the GPKE workflows use are listed: verbrauchende MaLo (ZW4), pauschale MaLo in the
// 55002 (ZW6); ruhende MaLo (ZAP, LOC+Z22), Tranchen (ZW5, LOC+Z21), erzeugende MaLo (ZW3) and
// gemessene MaLo with Messlokationen (ZW7, LOC+Z17) are not supported yet and are refused.
std::vector<UtilmdPidRules> make_rules() {
  std::vector<UtilmdPidRules> r;
  r.push_back({"55001",
               "Anmeldung verbrauchende MaLo",
               kS21AndS22,
               {"E01"},
               {"E01", "E03"},
               {"ZW4"},
               {},
               A::None,
               {muss(F::Start), muss_if(F::Malo, K::SupplementIn, {"ZW4"}, "[480]"), muss(F::ProductPackage),
                muss_if(F::Household, K::SupplementIn, {"ZW4"}, "[480]"), muss(F::Enfg), muss(F::Customer),
                muss(F::Correspondence)}});
  r.push_back({"55002",
               "Bestätigung Anmeldung verbrauchende MaLo",
               kS21AndS22,
               {"E01"},
               {"E01", "E03"},
               {"ZW6"},
               {"E_0623"},
               A::Consent,
               {muss(F::Start), muss(F::Answer), muss(F::Malo), muss(F::ReferencedTransaction),
                muss(F::PlannedProductPackage), muss_if(F::MaloInfo, K::SupplementIn, {"ZW7"}, "[483]")}});
  r.push_back(
      {"55003",
       "Ablehnung Anmeldung verbrauchende MaLo",
       kS21AndS22,
       {"E01"},
       {"E01", "E03"},
       {"ZW4"},
       {"E_0622", "E_0623"},
       A::Refusal,
       {muss(F::Answer), muss(F::ReferencedTransaction), muss_if(F::PendingStart, K::AnswerIn, {"A06"}, "[358]"),
        muss_if(F::NextProcessing, K::AnswerIn, {"A06"}, "[358]"),
        muss_if(F::ThirdPartyAnswer, K::AnswerIn, {"A50"}, "[356]"),
        muss_if(F::OtherParty, K::AnswerIn, {"A50"}, "[363]"),
        muss_if(F::Remark, K::AnswerIn, {"A05", "A99"}, "[23]")}});
  r.push_back({"55004",
               "Abmeldung",
               kS21AndS22,
               {"E02"},
               {"E01", "Z33", "ZG9", "ZH1", "ZH2", "ZT4", "ZT5"},
               {"ZW4"},
               {},
               A::None,
               {muss_if(F::Start, K::ReasonIn, kAufhebung, "[7]"), muss_if(F::End, K::ReasonNotIn, kAufhebung, "[11]"),
                muss_if(F::Malo, K::SupplementIn, {"ZW4"}, "[480]")}});
  r.push_back({"55005",
               "Bestätigung Abmeldung",
               kS21AndS22,
               {"E02"},
               {"E01", "Z33", "ZG9", "ZH1", "ZH2", "ZT4", "ZT5"},
               {},
               {"E_0607"},
               A::Consent,
               {muss_if(F::Start, K::ReasonIn, kAufhebung, "[7]"), muss_if(F::End, K::ReasonNotIn, kAufhebung, "[11]"),
                muss(F::Answer), muss(F::ReferencedTransaction)}});
  r.push_back({"55006",
               "Ablehnung Abmeldung",
               kS21AndS22,
               {"E02"},
               {"E01", "Z33", "ZG9", "ZH1", "ZH2", "ZT4", "ZT5"},
               {},
               {"E_0607"},
               A::Refusal,
               {muss(F::Answer), muss(F::ReferencedTransaction), muss_if(F::Remark, K::AnswerIn, {"A99"}, "[48]")}});
  // S2.2 adds the Geräteausbaudatum (DTM+206) to the Abmeldung wegen Stilllegung (Z33), [79].
  for (const auto* release : {"S2.1", "S2.2"}) {
    const bool s22 = std::string_view(release) == "S2.2";
    std::vector<AhbFieldRule> ab{muss(F::End), muss_if(F::Malo, K::SupplementIn, {"ZW4"}, "[480]")};
    std::vector<AhbFieldRule> ok{muss(F::End), muss(F::Answer), muss(F::ReferencedTransaction)};
    if (s22) {
      ab.push_back(muss_if(F::DeviceRemoval, K::ReasonIn, {"Z33"}, "[79]"));
      ok.push_back(muss_if(F::DeviceRemoval, K::ReasonIn, {"Z33"}, "[79]"));
    }
    r.push_back({"55007",
                 "Abmeldung / Beendigung der Zuordnung vom NB",
                 {release},
                 {"E02"},
                 {"Z33", "ZQ7", "ZT0"},
                 {"ZW4"},
                 {},
                 A::None,
                 ab});
    r.push_back({"55008",
                 "Bestätigung Abmeldung vom NB",
                 {release},
                 {"E02"},
                 {"Z33", "ZQ7", "ZT0"},
                 {},
                 {"E_0609"},
                 A::Consent,
                 ok});
  }
  r.push_back({"55009",
               "Ablehnung Abmeldung vom NB",
               kS21AndS22,
               {"E02"},
               {"Z33", "ZQ7", "ZT0"},
               {},
               {"E_0609"},
               A::Refusal,
               {muss(F::Answer), muss(F::ReferencedTransaction),
                muss_if(F::Remark, K::AnswerIn, {"A99", "A04", "A23"}, "[48] ⊻ [437]")}});
  r.push_back({"55010",
               "Anfrage zur Beendigung der Zuordnung (Abmeldeanfrage des NB)",
               kS21AndS22,
               {"E02"},
               {"E01", "E03"},
               {"ZW4"},
               {},
               A::None,
               {muss(F::End), muss(F::RequestReceived), muss_if(F::Malo, K::SupplementIn, {"ZW4"}, "[480]"),
                muss_if(F::Customer, K::SupplementIn, {"ZW4"}, "[279]"), muss(F::OtherParty)}});
  r.push_back({"55011",
               "Bestätigung Abmeldeanfrage",
               kS21AndS22,
               {"E02"},
               {"E01", "E03"},
               {},
               {"E_0624"},
               A::Consent,
               {muss(F::End), muss(F::Answer), muss(F::ReferencedTransaction)}});
  r.push_back({"55012",
               "Ablehnung Abmeldeanfrage",
               kS21AndS22,
               {"E02"},
               {"E01", "E03"},
               {},
               {"E_0624"},
               A::Refusal,
               {muss(F::Answer), muss(F::ReferencedTransaction)}});
  r.push_back({"55016",
               "Kündigung beim alten Lieferanten",
               kS21AndS22,
               {"E35"},
               {"E03"},
               {"ZW4"},
               {},
               A::None,
               {muss_if_absent(F::End, F::EndNextPossible, "[12]"), muss_if_absent(F::EndNextPossible, F::End, "[18]"),
                kann(F::Remark), muss_if(F::Malo, K::SupplementIn, {"ZW4"}, "[480]")}});
  r.push_back({"55017",
               "Bestätigung Kündigung",
               kS21AndS22,
               {"E35"},
               {"E03"},
               {"ZW4"},
               {"E_0614"},
               A::Consent,
               {muss_if_absent(F::End, F::EndNextPossible, "[12]"), muss_if_absent(F::EndNextPossible, F::End, "[18]"),
                muss(F::Answer), muss(F::ReferencedTransaction),
                muss_if(F::AnnualConsumption, K::SupplementIn, {"ZW4"}, "[480]")}});
  r.push_back({"55018",
               "Ablehnung Kündigung",
               kS21AndS22,
               {"E35"},
               {"E03"},
               {},
               {"E_0614"},
               A::Refusal,
               {muss(F::Answer), muss(F::ReferencedTransaction), {F::Remark, N::Kann, {}}}});
  r.push_back({"55036",
               "Information über existierende Zuordnung",
               kS21AndS22,
               {"E01"},
               {"Z26"},
               {},
               {},
               A::None,
               {muss(F::Malo), muss(F::ReferencedTransaction), muss(F::OtherParty)}});
  r.push_back({"55037",
               "Beendigung der Zuordnung",
               kS21AndS22,
               {"E02"},
               {"ZC8", "ZD9", "ZG6"},
               {"ZW4"},
               {},
               A::None,
               {muss(F::End), muss(F::Malo)}});
  return r;
}

}  // namespace

std::string_view segment_of(UtilmdField f) noexcept {
  switch (f) {
    case F::Start: return "SG4 DTM+92";
    case F::End: return "SG4 DTM+93";
    case F::EndNextPossible: return "SG4 DTM+471";
    case F::RequestReceived: return "SG4 DTM+154";
    case F::PendingStart: return "SG4 DTM+Z07";
    case F::NextProcessing: return "SG4 DTM+Z08";
    case F::DeviceRemoval: return "SG4 DTM+206";
    case F::Supplement: return "SG4 STS+7";
    case F::Answer: return "SG4 STS+E01";
    case F::ThirdPartyAnswer: return "SG4 STS+Z35";
    case F::Remark: return "SG4 FTX+ACB";
    case F::Malo: return "SG5 LOC+Z16";
    case F::ReferencedTransaction: return "SG6 RFF+TN";
    case F::PlannedProductPackage: return "SG6 RFF+Z60";
    case F::ProductPackage: return "SG8 SEQ+Z79";
    case F::MaloInfo: return "SG8 SEQ+Z98";
    case F::Household: return "SG8 SEQ+Z01 CCI";
    case F::AnnualConsumption: return "SG8 SEQ+Z01 QTY+Z09";
    case F::Enfg: return "SG8 SEQ+Z75";
    case F::Customer: return "SG12 NAD+Z09";
    case F::Correspondence: return "SG12 NAD+Z04";
    case F::OtherParty: return "SG12 NAD+VY";
  }
  return "?";
}

std::string_view ahb_name_of(UtilmdField f) noexcept {
  switch (f) {
    case F::Start: return "Beginn zum";
    case F::End: return "Ende zum";
    case F::EndNextPossible: return "Ende zum (nächstmöglichen Termin)";
    case F::RequestReceived: return "ÜT der Lieferanmeldung des LFN";
    case F::PendingStart: return "Lieferbeginndatum in Bearbeitung";
    case F::NextProcessing: return "Datum für nächste Bearbeitung";
    case F::DeviceRemoval: return "Geräteausbaudatum";
    case F::Supplement: return "Transaktionsgrundergänzung";
    case F::Answer: return "Status der Antwort";
    case F::ThirdPartyAnswer: return "Status der Antwort des dritten Marktbeteiligten";
    case F::Remark: return "Bemerkung";
    case F::Malo: return "Marktlokation";
    case F::ReferencedTransaction: return "Referenz Vorgangsnummer (aus Anfragenachricht)";
    case F::PlannedProductPackage: return "Informativ zur Umsetzung geplantes Produktpaket";
    case F::ProductPackage: return "Bestandteil eines Produktpakets";
    case F::MaloInfo: return "Informative Daten der Marktlokation";
    case F::Household: return "Gruppenzuordnung (nach EnWG)";
    case F::AnnualConsumption: return "Vorjahresverbrauch vom Lieferant";
    case F::Enfg: return "Grundlage zur Verringerung der Umlagen nach EnFG";
    case F::Customer: return "Kunde des Lieferanten";
    case F::Correspondence: return "Korrespondenzanschrift des Kunden des Lieferanten";
    case F::OtherParty: return "Beteiligter Marktpartner MP-ID";
  }
  return "?";
}

const std::vector<UtilmdPidRules>& utilmd_rules() {
  static const std::vector<UtilmdPidRules> rules = make_rules();
  return rules;
}

const UtilmdPidRules* find_utilmd_rules(std::string_view pid, std::string_view release) noexcept {
  for (const auto& r : utilmd_rules())
    if (r.pid == pid && std::find(r.releases.begin(), r.releases.end(), release) != r.releases.end()) return &r;
  return nullptr;
}

const std::vector<EbdCode>& ebd_codes() {
  // EBD Codelisten (BDEW Entscheidungsbaum-Diagramme, GPKE): which Antwortcodes each decision
  // tree can reach and whether each is a Zustimmung.
  static const std::vector<EbdCode> codes = [] {
    std::vector<EbdCode> c;
    auto add = [&](std::string_view ebd, std::initializer_list<std::string_view> refusals,
                   std::initializer_list<std::string_view> consents) {
      for (auto code : refusals) c.push_back({ebd, code, false});
      for (auto code : consents) c.push_back({ebd, code, true});
    };
    add("E_0622", {"A02", "A04", "A05", "A06", "A07", "A08", "A09", "A21", "A24", "A25", "A27", "A28",
                   "A29", "A30", "A31", "A32", "A34", "A35", "A37", "A44", "A45", "A46", "A47"},
        {});
    add("E_0623", {"A50", "A53", "A54", "A57", "A99"}, {"A51", "A55", "A56", "A58"});
    add("E_0624", {"A30", "A32", "A33", "A35", "A39", "A41", "A43"}, {"A31", "A34", "A36", "A38", "A40", "A42"});
    add("E_0607", {"A01", "A02", "A05", "A06", "A09", "A10", "A21", "A22", "A23", "A25", "A26", "A99"}, {"A11", "A27"});
    add("E_0609",
        {"A01", "A02", "A03", "A04", "A05", "A06", "A07", "A09", "A21", "A22", "A23", "A24", "A25", "A26", "A28",
         "A99"},
        {"A10", "A29"});
    add("E_0614", {"A01", "A04", "A05", "A06", "A08", "A10", "A13", "A14", "A15", "A16", "A18", "A99"},
        {"A03", "A09", "A12", "A17"});
    return c;
  }();
  return codes;
}

const EbdCode* find_ebd_code(std::string_view ebd, std::string_view code) noexcept {
  for (const auto& c : ebd_codes())
    if (c.ebd == ebd && c.code == code) return &c;
  return nullptr;
}

const EbdCode* find_answer_code(const UtilmdPidRules& rules, std::string_view code) noexcept {
  const bool consent = rules.answer_kind == UtilmdPidRules::AnswerKind::Consent;
  for (auto ebd : rules.answer_ebds)
    if (const auto* c = find_ebd_code(ebd, code); c && c->consent == consent) return c;
  return nullptr;
}

}  // namespace mako::edifact
