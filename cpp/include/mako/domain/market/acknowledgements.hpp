#pragma once
// The pipeline's own answers to a received interchange, rendered as complete interchanges
// (docs/conformance.md "APERAK and CONTRL"):
//   CONTRL (syntax): UCI+<ref>+<their id>+<our id>+7 (accepted), or +4 with the UN/EDIFACT
//   syntax error code where the fault is (edifact/syntax_fault.hpp: UCI for the envelope, UCM for
//   UNH/UNT, UCM+UCS[+UCD] for a body segment).
//   APERAK (processability of one Geschäftsvorfall): BGM+313 with the ERC code of the failure
//   (Z31 PID not processed by us, Z33 referenced Vorgang unknown, Z29 refused by the process) or
//   BGM+312; release and layout by the message date (edifact/aperak.hpp).
#include <optional>
#include <string>

#include "mako/domain/calendar/berlin_time.hpp"
#include "mako/domain/edifact/interchange.hpp"
#include "mako/domain/edifact/syntax_fault.hpp"

namespace mako::market {

// Who sent an interchange and under which reference, as far as it could be read.
struct InterchangeHeader {
  edifact::Party sender;
  edifact::Party receiver;
  std::string reference;
};

// Best effort for a file the parser refused: the UNB's parties and reference when the UNB itself
// reads; otherwise nullopt (the CONTRL then goes to the folder's partner with reference "UNKNOWN").
std::optional<InterchangeHeader> read_interchange_header(const std::string& bytes);

// Accepted (UCI 7) without a fault, rejected (UCI 4) where `fault` says. From the receiver of the
// acknowledged interchange to its sender; `reference` = our new interchange reference.
edifact::Interchange make_contrl(const InterchangeHeader& acknowledged,
                                 const std::optional<edifact::SyntaxFault>& fault, calendar::Instant now,
                                 const std::string& reference);
// edifact::write(make_contrl(...)), written directly to bytes (what the pipeline sends).
std::string render_contrl(const InterchangeHeader& acknowledged, const std::optional<edifact::SyntaxFault>& fault,
                          calendar::Instant now, const std::string& reference);

struct AperakSubject {
  std::string document_number;      // BGM 1004 of the message concerned (RFF+ACE, RFF+AGO)
  calendar::Instant document_date;  // its DTM+137 (DTM+171)
  std::string message_reference;    // its UNH reference (RFF+ACW in 2.1i)
  std::string transaction;          // IDE+24 of the Geschäftsvorfall (RFF+TN); "" = the message
  std::string error_code;           // ERC; "" = positive (BGM+312)
  std::string faulty_value;         // FTX+ABO: the value at fault (the PID, the reference, ...)
  std::string text;                 // FTX+AAO: what is wrong
  std::string location;             // FTX+Z02: where, for the AHB codes (Z29, ...)
};
// BGM+313 (or 312 when error_code is empty) from `own` to `partner`, in the APERAK release in
// force at `now`.
edifact::Interchange make_aperak(const std::string& own, const std::string& partner, const AperakSubject& subject,
                                 calendar::Instant now, const std::string& reference);
// edifact::write(make_aperak(...)), written directly to bytes (what the pipeline sends).
std::string render_aperak(const std::string& own, const std::string& partner, const AperakSubject& subject,
                          calendar::Instant now, const std::string& reference);

// An interchange reference (UNB 0020, at most 14 characters) derived from a stable key, so a resent
// message keeps its reference and the receiver's inbox recognises it.
std::string interchange_reference_for(const std::string& key);

}  // namespace mako::market
