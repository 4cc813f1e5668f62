#pragma once
// A GPKE request/answer pair as data: the request PID, its positive and negative answer PIDs and
// the messages that may follow the answer. The deadline and what silence means come from the
// explicit table calendar/gpke_answer_deadlines.hpp (docs/mako-domain.md, "Related use cases").
#include <cstdint>
#include <string>
#include <vector>

#include "mako/domain/calendar/gpke_answer_deadlines.hpp"

namespace mako::gpke {

struct ExchangeSpec {
  std::string workflow_name;  // e.g. "gpke.abmeldung.lf"
  std::uint32_t request_pid = 0;
  std::uint32_t positive_pid = 0;            // Bestätigung
  std::uint32_t negative_pid = 0;            // Ablehnung
  std::vector<std::uint32_t> followup_pids;  // messages the responder may receive afterwards (55037)
  std::string subject;                       // for people, e.g. "Abmeldung LF->NB"

  // The table row for request -> positive answer; throws std::invalid_argument when absent.
  const calendar::GpkeAnswerDeadline& row() const;
  // Deadline name used by both sides' watchdogs: "answer-<positive PID>".
  std::string deadline_name() const { return "answer-" + std::to_string(positive_pid); }
};

// The pairs of the related use cases (docs/mako-domain.md, "Related use cases") (and the LFA's part of the supplier
// switch).
ExchangeSpec abmeldung_spec();           // 55004 -> 55005 / 55006, LF -> NB
ExchangeSpec abmeldung_durch_nb_spec();  // 55007 -> 55008 / 55009, NB -> LF
ExchangeSpec kuendigung_spec();          // 55016 -> 55017 / 55018, LFN -> LFA
ExchangeSpec beendigungsanfrage_spec();  // 55010 -> 55011 / 55012, NB -> LFA, then 55037

}  // namespace mako::gpke
