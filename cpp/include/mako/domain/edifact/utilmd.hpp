#pragma once
// Typed view and builder for UTILMD Strom (EDI@Energy MIG S2.1 / S2.2), the GPKE transactions:
//   BGM, DTM+137, NAD+MS, NAD+MR, then per transaction (SG4), in MIG order:
//   IDE+24, DTM+92/93/471/154/Z07/Z08/206, STS+7++<Transaktionsgrund>+<Ergänzung>,
//   STS+E01++<Antwortcode>:<EBD>, STS+Z35++<code>:<EBD>, FTX+ACB, LOC+Z16 (SG5),
//   RFF+Z13:<PID>, RFF+TN (SG6), SEQ+Z79/ZH0/Z01/Z75 (SG8/SG10), NAD+Z09/Z04/VY (SG12).
// The PID lives in RFF+Z13 once per transaction, never in BGM or at message level. Which of these
// a transaction must, may or must not carry is fixed per PID by the AHB: utilmd_rules.hpp.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mako/domain/edifact/interchange.hpp"
#include "mako/domain/edifact/market_partner.hpp"

namespace mako::edifact {

struct MessageView;

/// SG12 NAD+Z09 (Kunde des Lieferanten) / NAD+Z04 (Korrespondenzanschrift).
struct UtilmdParty {
  std::string name;      ///< C080 3036: the name (the AHB admits one 3036, no separate first name)
  bool company = false;  ///< C080 3045: Z02 company, Z01 person
  std::string street;    ///< C059 3042 (address only: NAD+Z04)
  std::string city;      ///< 3164
  std::string postcode;  ///< 3251
  std::string country;   ///< 3207, e.g. "DE"
  friend bool operator==(const UtilmdParty&, const UtilmdParty&) = default;
};

struct UtilmdTransaction {
  std::string reference;                                      ///< IDE+24 Vorgangsnummer
  std::optional<std::chrono::sys_seconds> start;              ///< DTM+92 Beginn zum
  std::optional<std::chrono::sys_seconds> end;                ///< DTM+93 Ende zum
  std::optional<std::chrono::sys_seconds> end_next_possible;  ///< DTM+471 Ende zum (nächstmöglichen Termin)
  std::optional<std::chrono::sys_days> request_received_on;   ///< DTM+154 (102) ÜT der Lieferanmeldung des LFN
  std::optional<std::chrono::sys_seconds> pending_start;      ///< DTM+Z07 Lieferbeginndatum in Bearbeitung
  std::optional<std::chrono::sys_seconds> next_processing;    ///< DTM+Z08 Datum für nächste Bearbeitung
  std::optional<std::chrono::sys_seconds> device_removal;     ///< DTM+206 Geräteausbaudatum (S2.2, Stilllegung)
  std::string reason;                      ///< STS+7 Transaktionsgrund, e.g. "E03" (Wechsel), "E01" (Ein-/Auszug)
  std::string reason_supplement;           ///< STS+7 Transaktionsgrundergänzung, e.g. "ZW4" (verbrauchende MaLo)
  std::optional<std::string> answer_code;  ///< STS+E01 Antwortcode, e.g. "A51"
  std::string answer_code_list;            ///< its EBD (DE1131), e.g. "E_0623"
  std::optional<std::string> third_party_answer_code;  ///< STS+Z35: the LFA's answer, in a 55003
  std::string third_party_answer_code_list;            ///< its EBD, "E_0624"
  std::optional<std::string> remark;                   ///< FTX+ACB Bemerkung
  std::string malo_id;                                 ///< LOC+Z16
  std::string pid;                                     ///< RFF+Z13, e.g. "55001"
  std::optional<std::string> referenced_transaction;   ///< RFF+TN: Vorgangsnummer being answered
  std::optional<std::string> planned_product_package;  ///< RFF+Z60: package id planned for implementation
  std::optional<std::string> product_code;             ///< SG8 SEQ+Z79 PIA+5 Produkt-Code (package 1, with SEQ+ZH0)
  bool malo_info = false;                              ///< SG8 SEQ+Z98 Informative Daten der Marktlokation
  std::optional<std::string> annual_consumption_kwh;   ///< SG8 SEQ+Z01 SG9 QTY+Z09 Vorjahresverbrauch
  std::optional<bool> household;                       ///< SG8 SEQ+Z01 CCI Z15 Haushaltskunde / Z18 kein Haushaltskunde
  std::optional<std::string> enfg;                     ///< SG8 SEQ+Z75 CCI+Z61 code (ZF9/ZG0/ZG1)
  std::optional<UtilmdParty> customer;                 ///< SG12 NAD+Z09
  std::optional<UtilmdParty> correspondence;           ///< SG12 NAD+Z04
  std::optional<MarketPartner> other_party;            ///< SG12 NAD+VY Beteiligter Marktpartner
  /// Segments of the transaction this model does not carry, as "TAG+QUALIFIER" (read only; the
  /// AHB check names them: a segment the Prüfschablone does not know is an error).
  std::vector<std::string> other_segments;
  friend bool operator==(const UtilmdTransaction&, const UtilmdTransaction&) = default;
};

struct UtilmdMessage {
  std::string reference;                    ///< UNH message reference
  std::string association = "S2.1";         ///< MIG release; message_release.hpp gives the one in force
  std::string document_code = "E01";        ///< BGM 1001 (document name code)
  std::string document_number;              ///< BGM 1004
  std::chrono::sys_seconds message_date{};  ///< DTM+137
  MarketPartner sender;                     ///< NAD+MS
  MarketPartner receiver;                   ///< NAD+MR
  std::vector<UtilmdTransaction> transactions;
  friend bool operator==(const UtilmdMessage&, const UtilmdMessage&) = default;
};

/// Reads and validates a UTILMD message. Throws ParseError (at the offending segment) for a
/// missing BGM/DTM+137/NAD, a PID in BGM or outside a transaction, a transaction without or with
/// two RFF+Z13, a PID that is not a known UTILMD Strom PID, a MIG release this library does not
/// support (message_release.hpp), or malformed dates.
[[nodiscard]] UtilmdMessage read_utilmd(const Message& message);
/// The same for a message of parse_views() (parsed_view.hpp).
[[nodiscard]] UtilmdMessage read_utilmd(const MessageView& message);

/// Builds the message (no validation, so tests can build invalid ones on purpose).
[[nodiscard]] Message build_utilmd(const UtilmdMessage& utilmd);

/// The bytes of write(make_interchange(utilmd.sender, utilmd.receiver, interchange_reference,
/// prepared_at, {build_utilmd(utilmd)})), written directly without the Segment model (outbound
/// hot path). Both go through one emitter, so they are byte-identical; tests compare the two.
[[nodiscard]] std::string write_utilmd_interchange(const UtilmdMessage& utilmd, std::string_view interchange_reference,
                                                   std::chrono::sys_seconds prepared_at);

}  // namespace mako::edifact
