#pragma once
// Typed view and builder for UTILMD Strom (EDI@Energy MIG S2.1), the GPKE subset:
//   BGM, DTM+137, NAD+MS, NAD+MR, then per transaction:
//   IDE+24, DTM+92, STS+7++<reason>, [STS+E01++<answer code>], LOC+Z16, RFF+Z13:<PID>, [RFF+TN].
// The PID lives in RFF+Z13 once per transaction, never in BGM or at message level.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mako/domain/edifact/interchange.hpp"
#include "mako/domain/edifact/market_partner.hpp"

namespace mako::edifact {

struct MessageView;

struct UtilmdTransaction {
    std::string reference;   ///< IDE+24 Vorgangsnummer
    std::optional<std::chrono::sys_seconds> start;  ///< DTM+92 (UTC; 303 or 102 on the wire)
    std::string reason;      ///< STS+7++<reason>, e.g. "E01" (Ein-/Auszug), "E03" (Wechsel)
    std::optional<std::string> answer_code;  ///< STS+E01++<code> in answers (e.g. "A01"), (verify)
    std::string malo_id;     ///< LOC+Z16
    std::string pid;         ///< RFF+Z13, e.g. "55001"
    std::optional<std::string> referenced_transaction;  ///< RFF+TN: Vorgangsnummer being answered
    friend bool operator==(const UtilmdTransaction&, const UtilmdTransaction&) = default;
};

struct UtilmdMessage {
    std::string reference;          ///< UNH message reference
    std::string association = "S2.1";
    std::string document_code = "E01";  ///< BGM 1001 (document name code)
    std::string document_number;    ///< BGM 1004
    std::chrono::sys_seconds message_date{};  ///< DTM+137
    MarketPartner sender;           ///< NAD+MS
    MarketPartner receiver;         ///< NAD+MR
    std::vector<UtilmdTransaction> transactions;
    friend bool operator==(const UtilmdMessage&, const UtilmdMessage&) = default;
};

/// Reads and validates a UTILMD message. Throws ParseError (at the offending segment) for a
/// missing BGM/DTM+137/NAD, a PID in BGM or outside a transaction, a transaction without or with
/// two RFF+Z13, a PID that is not a known UTILMD Strom PID, or malformed dates.
[[nodiscard]] UtilmdMessage read_utilmd(const Message& message);
/// The same for a message of parse_views() (parsed_view.hpp).
[[nodiscard]] UtilmdMessage read_utilmd(const MessageView& message);

/// Builds the message (no validation, so tests can build invalid ones on purpose).
[[nodiscard]] Message build_utilmd(const UtilmdMessage& utilmd);

/// The bytes of write(make_interchange(utilmd.sender, utilmd.receiver, interchange_reference,
/// prepared_at, {build_utilmd(utilmd)})), written directly without the Segment model (outbound
/// hot path). Byte-identical to that composition; tests compare the two.
[[nodiscard]] std::string write_utilmd_interchange(const UtilmdMessage& utilmd, std::string_view interchange_reference,
                                                   std::chrono::sys_seconds prepared_at);

}  // namespace mako::edifact
