#pragma once
// Typed view and builder for APERAK (application acknowledgement: processability).
//   BGM+312 (positive) / BGM+313 (error), DTM+137, RFF+ACE:<referenced document number>,
//   [RFF+ACW:<referenced UNH message reference>], NAD+MS, NAD+MR,
//   per error: ERC+<code>, [FTX+AAO+++<text>], [RFF+TN:<Vorgangsnummer>].
// The qualifiers ACW / AAO / TN in the error group are (verify) against the APERAK MIG.
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

struct AperakError {
    std::string code;                            ///< ERC error code, e.g. "Z29"
    std::optional<std::string> text;             ///< FTX free text
    std::optional<std::string> transaction_ref;  ///< RFF+TN of the affected transaction
    friend bool operator==(const AperakError&, const AperakError&) = default;
};

struct AperakMessage {
    std::string reference;           ///< UNH message reference
    std::string association = "2.1i";  ///< (verify) MIG release of APERAK
    bool positive = false;           ///< BGM+312 when true, BGM+313 when false
    std::string document_number;     ///< BGM 1004
    std::chrono::sys_seconds message_date{};  ///< DTM+137
    std::string referenced_document;  ///< RFF+ACE: BGM document number of the acknowledged message
    std::optional<std::string> referenced_message;  ///< RFF+ACW: its UNH message reference
    MarketPartner sender;
    MarketPartner receiver;
    std::vector<AperakError> errors;  ///< empty iff positive
    friend bool operator==(const AperakMessage&, const AperakMessage&) = default;
};

/// Throws ParseError: BGM not 312/313, missing RFF+ACE/DTM+137/NAD, positive with ERC, negative
/// without ERC.
[[nodiscard]] AperakMessage read_aperak(const Message& message);
/// The same for a message of parse_views() (parsed_view.hpp).
[[nodiscard]] AperakMessage read_aperak(const MessageView& message);
[[nodiscard]] Message build_aperak(const AperakMessage& aperak);

/// The same bytes as write(make_interchange(aperak.sender, aperak.receiver, reference, prepared_at,
/// {build_aperak(aperak)})), written directly.
[[nodiscard]] std::string write_aperak_interchange(const AperakMessage& aperak, std::string_view interchange_reference,
                                                   std::chrono::sys_seconds prepared_at);

}  // namespace mako::edifact
