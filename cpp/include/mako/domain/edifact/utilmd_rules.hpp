#pragma once
// The AHB Prüfschablonen of the UTILMD Strom PIDs this library writes and reads, as data: per PID
// and MIG release, the BGM code, the Transaktionsgründe and -ergänzungen, the EBD of the answer
// and, for every transaction field, whether it is Muss/Soll/Kann and under which condition. A
// field that is not listed, or whose condition does not hold, is not part of the Prüfschablone
// ("X": it must not be sent). Written by us from the BDEW AHB UTILMD Strom (GPKE, LFW24) and the
// EBD documents, reviewed against makotest's rule set (docs/conformance.md). The checker that reads
// this data is generic (ahb_check.hpp). Adding an FV means adding rows, not code paths.
#include <optional>
#include <string_view>
#include <vector>

namespace mako::edifact {

/// The fields of a UTILMD transaction (utilmd.hpp) an AHB rule can name.
enum class UtilmdField {
  Start,                  // DTM+92 Beginn zum
  End,                    // DTM+93 Ende zum
  EndNextPossible,        // DTM+471 Ende zum (nächstmöglichen Termin)
  RequestReceived,        // DTM+154 ÜT der Lieferanmeldung des LFN
  PendingStart,           // DTM+Z07 Lieferbeginndatum in Bearbeitung
  NextProcessing,         // DTM+Z08 Datum für nächste Bearbeitung
  DeviceRemoval,          // DTM+206 Geräteausbaudatum
  Supplement,             // STS+7 Transaktionsgrundergänzung
  Answer,                 // STS+E01 Status der Antwort
  ThirdPartyAnswer,       // STS+Z35 Status der Antwort des dritten Marktbeteiligten
  Remark,                 // FTX+ACB Bemerkung
  Malo,                   // SG5 LOC+Z16 Marktlokation
  ReferencedTransaction,  // SG6 RFF+TN Referenz Vorgangsnummer
  PlannedProductPackage,  // SG6 RFF+Z60 Informativ zur Umsetzung geplantes Produktpaket
  ProductPackage,         // SG8 SEQ+Z79/ZH0 Bestandteil eines Produktpakets
  MaloInfo,               // SG8 SEQ+Z98 Informative Daten der Marktlokation
  Household,              // SG8 SEQ+Z01 SG10 CCI Gruppenzuordnung (nach EnWG)
  AnnualConsumption,      // SG8 SEQ+Z01 SG9 QTY+Z09 Vorjahresverbrauch
  Enfg,                   // SG8 SEQ+Z75 CCI+Z61 Grundlage zur Verringerung der Umlagen nach EnFG
  Customer,               // SG12 NAD+Z09 Kunde des Lieferanten
  Correspondence,         // SG12 NAD+Z04 Korrespondenzanschrift
  OtherParty,             // SG12 NAD+VY Beteiligter Marktpartner
};

/// Every field a rule can name except the Transaktionsgrundergänzung (checked with the reasons).
inline constexpr UtilmdField kUtilmdFields[] = {UtilmdField::Start,
                                                UtilmdField::End,
                                                UtilmdField::EndNextPossible,
                                                UtilmdField::RequestReceived,
                                                UtilmdField::PendingStart,
                                                UtilmdField::NextProcessing,
                                                UtilmdField::DeviceRemoval,
                                                UtilmdField::Answer,
                                                UtilmdField::ThirdPartyAnswer,
                                                UtilmdField::Remark,
                                                UtilmdField::Malo,
                                                UtilmdField::ReferencedTransaction,
                                                UtilmdField::PlannedProductPackage,
                                                UtilmdField::ProductPackage,
                                                UtilmdField::MaloInfo,
                                                UtilmdField::Household,
                                                UtilmdField::AnnualConsumption,
                                                UtilmdField::Enfg,
                                                UtilmdField::Customer,
                                                UtilmdField::Correspondence,
                                                UtilmdField::OtherParty};

/// The segment a field is written in, e.g. "SG4 DTM+92", and its AHB name, e.g. "Beginn zum".
[[nodiscard]] std::string_view segment_of(UtilmdField field) noexcept;
[[nodiscard]] std::string_view ahb_name_of(UtilmdField field) noexcept;

enum class AhbNeed { Muss, Soll, Kann };

/// When a rule applies. Outside its condition the field must not be sent.
struct AhbCondition {
  enum class Kind { Always, SupplementIn, ReasonIn, ReasonNotIn, AnswerIn, FieldAbsent } kind = Kind::Always;
  std::vector<std::string_view> codes;     ///< SupplementIn / ReasonIn / ReasonNotIn / AnswerIn
  UtilmdField other = UtilmdField::Start;  ///< FieldAbsent
  std::string_view text;                   ///< the AHB condition, for error messages, e.g. "[480]"
};

struct AhbFieldRule {
  UtilmdField field;
  AhbNeed need = AhbNeed::Muss;
  AhbCondition when{};
};

struct UtilmdPidRules {
  std::string_view pid;
  std::string_view title;                        ///< AHB title, e.g. "Anmeldung verbrauchende MaLo"
  std::vector<std::string_view> releases;        ///< MIG releases these rules hold for
  std::vector<std::string_view> document_codes;  ///< BGM 1001
  std::vector<std::string_view> reasons;         ///< STS+7 Transaktionsgrund
  std::vector<std::string_view> supplements;     ///< STS+7 Transaktionsgrundergänzung (empty: none)
  std::vector<std::string_view> answer_ebds;     ///< EBDs of STS+E01 (none for requests)
  /// Consent answers may only carry consent codes of the EBD, refusals only refusals.
  enum class AnswerKind { None, Consent, Refusal } answer_kind = AnswerKind::None;
  std::vector<AhbFieldRule> fields;
};

/// The rules for `pid` in MIG release `release` ("S2.1", "S2.2"); nullptr when this library has none.
[[nodiscard]] const UtilmdPidRules* find_utilmd_rules(std::string_view pid, std::string_view release) noexcept;
/// Every rule set, for docs and tests.
[[nodiscard]] const std::vector<UtilmdPidRules>& utilmd_rules();

/// One Antwortcode of an EBD decision tree.
struct EbdCode {
  std::string_view ebd;   ///< "E_0624"
  std::string_view code;  ///< "A31"
  bool consent;           ///< Zustimmung (true) or Ablehnung (false)
};
[[nodiscard]] const std::vector<EbdCode>& ebd_codes();
[[nodiscard]] const EbdCode* find_ebd_code(std::string_view ebd, std::string_view code) noexcept;
/// The code of one of the PID's answer EBDs that `code` names with the PID's meaning (a Zustimmung
/// in a Bestätigung, an Ablehnung in an Ablehnung); nullptr when there is none.
[[nodiscard]] const EbdCode* find_answer_code(const UtilmdPidRules& rules, std::string_view code) noexcept;

}  // namespace mako::edifact
