#pragma once
// The generic AHB checker: a UTILMD message against the Prüfschablone of each transaction's PID
// in the message's MIG release (utilmd_rules.hpp), after the MIG-level parse (read_utilmd). Used on
// receipt (a violation is answered with an APERAK naming the field; the process is not touched)
// and in tests on everything the writers produce.
#include <string>
#include <vector>

#include "mako/domain/edifact/utilmd.hpp"
#include "mako/domain/edifact/utilmd_rules.hpp"

namespace mako::edifact {

struct AhbViolation {
  std::string pid;          ///< "55001", or "" for message-level findings
  std::string transaction;  ///< Vorgangsnummer (IDE+24), or "" for message-level findings
  std::string segment;      ///< where, e.g. "SG4 DTM+92", "BGM", "UNH"
  std::string field;        ///< the AHB field name, e.g. "Beginn zum"
  std::string problem;      ///< e.g. "missing: Muss in 55001"
  /// One line for people and for the APERAK's FTX, e.g.
  /// "55001 transaction VG1: SG4 DTM+92 (Beginn zum) missing: Muss in 55001".
  [[nodiscard]] std::string message() const;
  friend bool operator==(const AhbViolation&, const AhbViolation&) = default;
};

/// Whether transaction `t` carries `field`, and taking it out (the shaping of an outbound message).
[[nodiscard]] bool carries(const UtilmdTransaction& t, UtilmdField field);
void clear(UtilmdTransaction& t, UtilmdField field);
/// Whether the Prüfschablone admits `field` in `t`: a rule names it and its condition holds.
[[nodiscard]] bool admits(const UtilmdPidRules& rules, UtilmdField field, const UtilmdTransaction& t);

/// Every violation of the AHB rules in `message` (empty: the message conforms).
[[nodiscard]] std::vector<AhbViolation> check_utilmd_ahb(const UtilmdMessage& message);

}  // namespace mako::edifact
