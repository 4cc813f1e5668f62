#pragma once
// Typed view and builder for CONTRL (syntax acknowledgement of an interchange).
//   UCI+<interchange ref>+<sender id>:<qual>+<recipient id>:<qual>+<action>[+<error code>[+<service segment>]]
//   per message: UCM+<msg ref>+<type>:<version>:<release>:<agency>[:<assoc>]+<action>[+<error code>[+<UNH|UNT>]]
//     per segment error: UCS+<segment position>[+<error code>]
//       per element error: UCD+<error code>+<element position>[:<component position>]
// Action codes: 7 = accepted (this level acknowledged), 4 = rejected. CONTRL is never answered.
// Error codes are UN/EDIFACT DE0085 (syntax_fault.hpp maps the parser's errors onto them); the
// service segment (DE0013) names UNA/UNB/UNZ in UCI and UNH/UNT in UCM. MIG release 2.0b.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mako/domain/edifact/interchange.hpp"
#include "mako/domain/edifact/market_partner.hpp"

namespace mako::edifact {

struct MessageView;

inline constexpr const char* kContrlAccepted = "7";
inline constexpr const char* kContrlRejected = "4";

struct ContrlElementError {  ///< UCD
  std::string error_code;
  std::string element_position;
  std::string component_position;  ///< "" = absent
  friend bool operator==(const ContrlElementError&, const ContrlElementError&) = default;
};

struct ContrlSegmentError {  ///< UCS (+ its UCDs)
  std::string segment_position;
  std::string error_code;  ///< "" = absent
  std::vector<ContrlElementError> element_errors;
  friend bool operator==(const ContrlSegmentError&, const ContrlSegmentError&) = default;
};

struct ContrlMessageResponse {  ///< UCM (+ its UCS/UCD)
  std::string message_reference;
  std::string message_type;
  std::string version;
  std::string release;
  std::string agency;
  std::string association;
  std::string action = kContrlAccepted;  ///< 7 / 4
  std::string error_code;                ///< "" = absent
  std::string service_segment;           ///< UCM 0013: UNH or UNT when the error is there; "" = absent
  std::vector<ContrlSegmentError> segment_errors;
  friend bool operator==(const ContrlMessageResponse&, const ContrlMessageResponse&) = default;
};

struct ContrlMessage {
  std::string reference;                       ///< UNH message reference of the CONTRL itself
  std::string association = "2.0b";            ///< EDI@Energy CONTRL MIG release (the only one supported)
  std::string interchange_reference;           ///< UCI 0020: the acknowledged interchange
  Party interchange_sender;                    ///< UCI S002 (sender of the acknowledged interchange)
  Party interchange_receiver;                  ///< UCI S003
  std::string action = kContrlAccepted;        ///< UCI 0083: 7 accepted / 4 rejected
  std::optional<std::string> error_code;       ///< UCI 0085 syntax error code
  std::optional<std::string> service_segment;  ///< UCI 0013: UNA, UNB or UNZ (interchange-level error)
  std::vector<ContrlMessageResponse> messages;

  [[nodiscard]] bool accepted() const noexcept { return action == kContrlAccepted; }
  friend bool operator==(const ContrlMessage&, const ContrlMessage&) = default;
};

/// Throws ParseError: a release other than 2.0b, no UCI first, action not 7/4, UCS before UCM,
/// UCD before UCS, rejected without any error code.
[[nodiscard]] ContrlMessage read_contrl(const Message& message);
/// The same for a message of parse_views() (parsed_view.hpp).
[[nodiscard]] ContrlMessage read_contrl(const MessageView& message);
[[nodiscard]] Message build_contrl(const ContrlMessage& contrl);

/// The same bytes as write(make_interchange(sender, receiver, reference, prepared_at,
/// {build_contrl(contrl)})), written directly (the pipeline answers every file with a CONTRL).
[[nodiscard]] std::string write_contrl_interchange(const ContrlMessage& contrl, const MarketPartner& sender,
                                                   const MarketPartner& receiver,
                                                   std::string_view interchange_reference,
                                                   std::chrono::sys_seconds prepared_at);

}  // namespace mako::edifact
