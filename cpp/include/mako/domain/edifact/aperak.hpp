#pragma once
// Typed view and builder for APERAK (application acknowledgement: processability of one
// Geschäftsvorfall), after the BDEW APERAK MIG/AHB (docs/conformance.md "APERAK and CONTRL").
// One APERAK answers one Geschäftsvorfall. The release (UNH S009 0057) selects the layout:
//
//   both:  BGM+312 (Anerkennungsmeldung) / BGM+313 (Verarbeitbarkeitsfehlermeldung), DTM+137,
//          SG2 RFF+ACE:<referenced document number> DTM+171:<its date>, NAD+MS, NAD+MR
//   312:   SG2 RFF+AGO:<referenced document number> [SG2 RFF+TN:<Vorgangsnummer>]
//   313 in 2.1i, per error (SG4): ERC+<code> [FTX+ABO:<faulty value>]
//          SG5 RFF+ACW:<referenced UNH message reference>
//          SG5 RFF+AGO:<referenced document number> [FTX+AAO:<description>] [FTX+Z02:<location>]
//          [SG5 RFF+TN:<Vorgangsnummer> [FTX+AAO] [FTX+Z02]]   (FTX moves under TN when present)
//   313 in 2.2: SG2 RFF+AGO [SG2 RFF+TN] before NAD; per error ERC [FTX+ABO] and one SG5:
//          RFF+TN (when SG2 has TN) else RFF+AGO, each with [FTX+AAO] [FTX+Z02]
//          (after the consultation version of the AHB for MIG 2.2, (verify) against the final one:
//          docs/open-questions.md, "Error APERAK layout from FV2610")
// FTX+Z02 ("Ortsangabe des AHB-Fehlers") is written for the AHB codes Z21 Z29 Z35 Z38 Z39 Z40 Z41.
// Free texts are at most 512 characters (DE4440, one component admitted by the AHB); longer
// texts are cut, ending in "..."; characters outside UNOC (Latin-1) become '?'.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mako/domain/edifact/interchange.hpp"
#include "mako/domain/edifact/market_partner.hpp"

namespace mako::edifact {

struct MessageView;

inline constexpr const char* kAperakPositive = "312";
inline constexpr const char* kAperakError = "313";

/// The ERC codes of the APERAK AHB (chapter "Fehlercodes in ERC-Segment"), those this library
/// writes named. Z31: the receiver does not process this Prüfidentifikator in its role; Z33: the
/// referenced Geschäftsvorfall is not there; Z29: information required for the use case missing.
inline constexpr const char* kAperakIdUnknown = "Z10";
inline constexpr const char* kAperakRequiredMissing = "Z29";
inline constexpr const char* kAperakRejectedByReceiver = "Z31";
inline constexpr const char* kAperakReferencedUnknown = "Z33";

/// Every ERC code of the APERAK AHB (2.1i and 2.2 have the same list).
[[nodiscard]] const std::vector<std::string_view>& aperak_error_codes();
/// True for the AHB error codes whose SG5 must carry FTX+Z02 (Ortsangabe des AHB-Fehlers).
[[nodiscard]] bool aperak_code_needs_location(std::string_view code);
/// DE4440 is an..512: `text` cut to 512 characters (UTF-8 code points), "..." at the end when cut;
/// characters UNOC cannot carry replaced by '?'.
[[nodiscard]] std::string aperak_free_text(std::string_view text);

struct AperakError {
  std::string code;                         ///< ERC DE9321, e.g. "Z31"
  std::optional<std::string> faulty_value;  ///< SG4 FTX+ABO: the value / ID at fault
  std::optional<std::string> text;          ///< SG5 FTX+AAO: description of the error
  std::optional<std::string> location;      ///< SG5 FTX+Z02: where (segment name), AHB codes
  friend bool operator==(const AperakError&, const AperakError&) = default;
};

struct AperakMessage {
  std::string reference;  ///< UNH message reference
  /// MIG release (UNH S009 0057): "2.1i" or "2.2". Empty when building = the release in force
  /// at message_date (message_release.hpp).
  std::string association;
  bool positive = false;                          ///< BGM+312 when true, BGM+313 when false
  std::string document_number;                    ///< BGM 1004
  std::chrono::sys_seconds message_date{};        ///< DTM+137
  std::string referenced_document;                ///< RFF+ACE (and RFF+AGO): BGM 1004 of the acknowledged message
  std::chrono::sys_seconds referenced_date{};     ///< DTM+171: DTM+137 of the acknowledged message
  std::optional<std::string> referenced_message;  ///< RFF+ACW (2.1i errors): its UNH message reference
  std::optional<std::string> transaction_ref;     ///< RFF+TN: Vorgangsnummer (IDE+24) of the Geschäftsvorfall
  MarketPartner sender;
  MarketPartner receiver;
  std::vector<AperakError> errors;  ///< empty iff positive
  friend bool operator==(const AperakMessage&, const AperakMessage&) = default;
};

/// Reads both releases (2.1i and 2.2) and what makotest's builders write. Throws ParseError: a
/// release other than 2.1i/2.2, BGM not 312/313, missing RFF+ACE/DTM+171/DTM+137/NAD, positive
/// with ERC, negative without ERC.
[[nodiscard]] AperakMessage read_aperak(const Message& message);
/// The same for a message of parse_views() (parsed_view.hpp).
[[nodiscard]] AperakMessage read_aperak(const MessageView& message);
/// The message in the layout of its release. Throws std::invalid_argument: an unsupported
/// release, an error code not in aperak_error_codes(), errors on a positive APERAK or none on a
/// negative one, an empty referenced document; std::out_of_range when no release is in force at
/// message_date and none is given.
[[nodiscard]] Message build_aperak(const AperakMessage& aperak);

/// The same bytes as write(make_interchange(aperak.sender, aperak.receiver, reference, prepared_at,
/// {build_aperak(aperak)})), written directly.
[[nodiscard]] std::string write_aperak_interchange(const AperakMessage& aperak, std::string_view interchange_reference,
                                                   std::chrono::sys_seconds prepared_at);

}  // namespace mako::edifact
