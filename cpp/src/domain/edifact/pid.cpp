#include "mako/domain/edifact/pid.hpp"

#include <stdexcept>

namespace mako::edifact {

const std::vector<PidInfo>& utilmd_strom_pids() {
  static const std::vector<PidInfo> table = {
      {"55001", "Anmeldung verbrauchende MaLo", "LFN->NB", ""},
      {"55002", "Bestaetigung Anmeldung", "NB->LFN", "55001"},
      {"55003", "Ablehnung Anmeldung", "NB->LFN", "55001"},
      {"55004", "Abmeldung", "LF->NB", ""},
      {"55005", "Bestaetigung Abmeldung", "NB->LF", "55004"},
      {"55006", "Ablehnung Abmeldung", "NB->LF", "55004"},
      {"55007", "Abmeldung durch NB", "NB->LF", ""},
      {"55008", "Bestaetigung Abmeldung durch NB", "LF->NB", "55007"},
      {"55009", "Ablehnung Abmeldung durch NB", "LF->NB", "55007"},
      {"55010", "Anfrage zur Beendigung der Zuordnung", "NB->LFA", ""},
      {"55011", "Bestaetigung Beendigung der Zuordnung", "LFA->NB", "55010"},
      {"55012", "Ablehnung Beendigung der Zuordnung", "LFA->NB", "55010"},
      {"55016", "Kuendigung", "LFN->LFA", ""},
      {"55017", "Bestaetigung Kuendigung", "LFA->LFN", "55016"},
      {"55018", "Ablehnung Kuendigung", "LFA->LFN", "55016"},
      {"55036", "Information ueber bestehende Zuordnung", "NB->LFN", "55001"},
      {"55037", "Beendigung der Zuordnung", "NB->LFA", ""},
  };
  return table;
}

const PidInfo* find_utilmd_strom_pid(std::string_view pid) noexcept {
  for (const auto& p : utilmd_strom_pids())
    if (p.pid == pid) return &p;
  return nullptr;
}

const std::vector<PidPrefixFormat>& pid_prefix_formats() {
  // (verify) see header and docs/open-questions.md, "PID prefix map"; as data so a new source
  // can be followed without code changes.
  static const std::vector<PidPrefixFormat> table = {
      {"55", "UTILMD", "Strom"}, {"44", "UTILMD", "Gas"}, {"11", "UTILMD", "before FV2310"},
      {"13", "MSCONS", ""},      {"17", "ORDERS", ""},    {"19", "ORDRSP", ""},
      {"21", "IFTSTA", ""},      {"23", "INSRPT", ""},    {"25", "UTILTS", ""},
      {"27", "PRICAT", ""},      {"29", "COMDIS", ""},    {"31", "INVOIC", ""},
      {"33", "REMADV", ""},      {"35", "REQOTE", ""},    {"37", "PARTIN", ""},
      {"39", "ORDCHG", ""},      {"15", "QUOTES", ""},    {"91", "CONTRL", ""},
      {"92", "APERAK", ""},      {"99", "APERAK", ""},
  };
  return table;
}

std::optional<Pid> Pid::parse(std::string_view text) noexcept {
  if (text.size() != 5) return std::nullopt;
  std::uint32_t number = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    number = number * 10 + static_cast<std::uint32_t>(c - '0');
  }
  return Pid(number);
}

Pid Pid::require(std::string_view text) {
  if (auto pid = parse(text)) return *pid;
  throw std::invalid_argument("pid: five digits expected, got '" + std::string(text) + "'");
}

std::string Pid::str() const {
  std::string text = std::to_string(number_);
  return std::string(5 - text.size(), '0') + text;
}

bool looks_like_pid(std::string_view value) noexcept { return Pid::parse(value).has_value(); }

const PidPrefixFormat* format_of_pid(std::string_view pid) noexcept {
  if (!looks_like_pid(pid)) return nullptr;
  for (const auto& f : pid_prefix_formats())
    if (pid.substr(0, 2) == f.prefix) return &f;
  return nullptr;
}

}  // namespace mako::edifact
