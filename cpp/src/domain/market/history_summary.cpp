#include "mako/domain/market/history_summary.hpp"

#include <unordered_map>

#include "mako/domain/gpke/register_workflows.hpp"

namespace mako::market {
namespace {

struct StreamFacts {
  std::string workflow;
  std::string outcome;
};

}  // namespace

HistorySummary summarize_history(const EventStore& store) {
  namespace w = gpke::workflow_names;
  HistorySummary summary;
  std::unordered_map<std::string, StreamFacts> streams;
  std::uint64_t after = 0;
  for (;;) {
    const auto page = store.read_all(after, 5000);
    if (page.empty()) break;
    for (const auto& e : page) {
      ++summary.events;
      auto& facts = streams[e.stream_id.str()];
      if (facts.workflow.empty()) facts.workflow = e.workflow_id.name();
      // The payload only of the events that need it: a store may parse payloads on demand.
      auto data = [&]() -> const Json& {
        const Json& payload = e.payload.json();
        return payload.contains("data") ? payload.at("data") : payload;
      };
      const std::string& type = e.event_type;
      if (type == "MessageSent") {
        const Json& d = data();
        auto& tally = summary.sent_by_pid[d.at("pid").get<std::string>()];
        (d.at("met").get<bool>() ? tally.met : tally.missed)++;
      } else if (type == "AnswerDeadlineMissed") {
        ++summary.answer_deadlines_missed[data().at("deadline").get<std::string>()];
      } else if (type == "LateLfaAnswerIgnored") {
        ++summary.late_lfa_answers_ignored;
      } else if (type == "NbConfirmed") {
        facts.outcome = "confirmed";
      } else if (type == "NbRejected") {
        facts.outcome = "rejected";
      } else if (type == "AnmeldungConfirmed") {
        facts.outcome = "confirmed:" + data().at("basis").get<std::string>();
      } else if (type == "AnmeldungRejected") {
        facts.outcome = "rejected:" + data().at("reason").get<std::string>();
      } else if (type == "Answered" && facts.workflow == w::kLieferendeLfa) {
        facts.outcome = data().at("accepted").get<bool>() ? "accepted" : "refused";
      }
    }
    after = page.back().global_position;  // positions need not be dense
  }
  summary.streams = streams.size();
  for (const auto& [id, facts] : streams) {
    ++summary.processes_by_workflow[facts.workflow];
    if (facts.workflow == w::kLieferbeginnLfn)
      ++summary.lfn_outcomes[facts.outcome.empty() ? "unanswered" : facts.outcome];
    else if (facts.workflow == w::kLieferbeginnNb)
      ++summary.nb_outcomes[facts.outcome.empty() ? "open" : facts.outcome];
    else if (facts.workflow == w::kLieferendeLfa)
      ++summary.lfa_outcomes[facts.outcome.empty() ? "silent" : facts.outcome];
  }
  return summary;
}

}  // namespace mako::market
