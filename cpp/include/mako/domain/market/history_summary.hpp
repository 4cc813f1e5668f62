#pragma once
// What happened, read back from an engine's event history alone (no workflow state): the outcome
// of each supplier-switch process and the deadline bookkeeping of every GPKE step
// (gpke/step_log.hpp: MessageSent.met, AnswerDeadlineMissed). The simulation prints it; analysts
// can run the same questions as SQL over the SQLite file (docs/sqlite-schema.md).
#include <cstddef>
#include <map>
#include <string>

#include "mako/core/event_store.hpp"

namespace mako::market {

struct DeadlineTally {
  std::size_t met = 0;
  std::size_t missed = 0;
};

struct HistorySummary {
  std::size_t events = 0;
  std::size_t streams = 0;
  std::map<std::string, std::size_t> processes_by_workflow;
  // gpke.lieferbeginn.lfn: "confirmed" / "rejected" / "unanswered" (no 55002/55003 received).
  std::map<std::string, std::size_t> lfn_outcomes;
  // gpke.lieferbeginn.nb: "confirmed:<basis>" / "rejected:<reason>" / "open".
  std::map<std::string, std::size_t> nb_outcomes;
  // gpke.lieferende.lfa: "accepted" / "refused" / "silent".
  std::map<std::string, std::size_t> lfa_outcomes;
  std::map<std::string, DeadlineTally> sent_by_pid;            // MessageSent met / missed per PID
  std::map<std::string, std::size_t> answer_deadlines_missed;  // AnswerDeadlineMissed per deadline name
  std::size_t late_lfa_answers_ignored = 0;                    // LateLfaAnswerIgnored
};

// Reads the whole store in pages (read_all).
HistorySummary summarize_history(const EventStore& store);

}  // namespace mako::market
