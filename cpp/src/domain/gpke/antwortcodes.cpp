#include "mako/domain/gpke/antwortcodes.hpp"

#include <array>
#include <utility>

#include "mako/domain/edifact/utilmd_rules.hpp"

namespace mako::gpke {

std::string default_answer_code(std::string_view pid) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 10> kDefaults = {{
      {"55002", "A51"},
      {"55003", "A99"},
      {"55005", "A11"},
      {"55006", "A99"},
      {"55008", "A10"},
      {"55009", "A99"},
      {"55011", "A36"},
      {"55012", "A35"},
      {"55017", "A09"},
      {"55018", "A99"},
  }};
  for (const auto& [p, code] : kDefaults)
    if (p == pid) return std::string(code);
  return {};
}

bool answer_code_needs_remark(std::string_view pid, std::string_view code) {
  // The AHB conditions on FTX+ACB: 55003 [23] A05/A99; 55006 [48] A99; 55009 [48]/[437]
  // A99/A04/A23; 55018 [83] A08/A16/A99.
  if (code == "A99") return pid == "55003" || pid == "55006" || pid == "55009" || pid == "55018";
  if (pid == "55003") return code == "A05";
  if (pid == "55009") return code == "A04" || code == "A23";
  if (pid == "55018") return code == "A08" || code == "A16";
  return false;
}

std::optional<std::string> why_invalid_answer_code(std::string_view pid, std::string_view code) {
  for (const auto& rules : edifact::utilmd_rules()) {
    if (rules.pid != pid || rules.answer_ebds.empty()) continue;
    if (edifact::find_answer_code(rules, code)) return std::nullopt;
    const bool consent = rules.answer_kind == edifact::UtilmdPidRules::AnswerKind::Consent;
    std::string trees;
    for (auto ebd : rules.answer_ebds) trees += (trees.empty() ? "" : "/") + std::string(ebd);
    return "'" + std::string(code) + "' is not " + (consent ? "a Zustimmung" : "an Ablehnung") + " of " + trees +
           " (the EBD of " + std::string(pid) + ")";
  }
  return std::nullopt;  // not an answer PID this library has rules for
}

}  // namespace mako::gpke
