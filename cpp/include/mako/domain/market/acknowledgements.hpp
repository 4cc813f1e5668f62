#pragma once
// The pipeline's own answers to a received interchange, rendered as complete interchanges:
//   CONTRL (syntax): UCI+<ref>+<their id>+<our id>+7 (accepted) or +4+<error code> (rejected).
//   APERAK (processability): BGM+313 with ERC per failed transaction, RFF+ACE = their BGM document
//   number, RFF+TN = the transaction. Positive APERAK (312) is optional (InboundPipelineOptions).
// Syntax error codes (UN/EDIFACT 0085): 7 "recipient is not the actual recipient",
// 18 "unspecified error" (everything the parser reports), 29 "control count does not match".
// APERAK error codes are EDI@Energy's (verify against the APERAK AHB): Z10 "process unknown /
// cannot be assigned" for an unknown PID or an answer without its process, Z29 "content refused by
// the process" for a command the workflow refused.
#include <optional>
#include <string>

#include "mako/domain/calendar/berlin_time.hpp"
#include "mako/domain/edifact/interchange.hpp"

namespace mako::market {

inline constexpr const char* kSyntaxWrongRecipient = "7";
inline constexpr const char* kSyntaxUnspecified = "18";
inline constexpr const char* kSyntaxCountMismatch = "29";
inline constexpr const char* kAperakUnassignable = "Z10";
inline constexpr const char* kAperakRefused = "Z29";
inline constexpr const char* kAperakAhbViolation = "Z29";  // the AHB violation is named in the FTX

// Who sent an interchange and under which reference, as far as it could be read.
struct InterchangeHeader {
    edifact::Party sender;
    edifact::Party receiver;
    std::string reference;
};

// Best effort for a file the parser refused: the UNB's parties and reference when the UNB itself
// reads; otherwise nullopt (the CONTRL then goes to the folder's partner with reference "UNKNOWN").
std::optional<InterchangeHeader> read_interchange_header(const std::string& bytes);

// `own` = our party (the receiver of the acknowledged interchange), `reference` = our new
// interchange reference.
edifact::Interchange make_contrl(const InterchangeHeader& acknowledged, bool accepted,
                                 const std::optional<std::string>& error_code, calendar::Instant now,
                                 const std::string& reference);
// edifact::write(make_contrl(...)), written directly to bytes (what the pipeline sends).
std::string render_contrl(const InterchangeHeader& acknowledged, bool accepted,
                          const std::optional<std::string>& error_code, calendar::Instant now,
                          const std::string& reference);

struct AperakSubject {
    std::string document_number;  // BGM 1004 of the message concerned
    std::string message_reference;  // its UNH reference
    std::string transaction;  // IDE+24 of the transaction concerned
    std::string error_code;
    std::string text;
};
// BGM+313 (or 312 when error_code is empty) from `own` to `partner`.
edifact::Interchange make_aperak(const std::string& own, const std::string& partner, const AperakSubject& subject,
                                 calendar::Instant now, const std::string& reference);
// edifact::write(make_aperak(...)), written directly to bytes (what the pipeline sends).
std::string render_aperak(const std::string& own, const std::string& partner, const AperakSubject& subject,
                          calendar::Instant now, const std::string& reference);

// An interchange reference (UNB 0020, at most 14 characters) derived from a stable key, so a resent
// message keeps its reference and the receiver's inbox recognises it.
std::string interchange_reference_for(const std::string& key);

}  // namespace mako::market
