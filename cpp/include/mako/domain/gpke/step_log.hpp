#pragma once
// Per-step deadline bookkeeping shared by all GPKE workflows, so analysts can ask "which switches
// missed the 11:00 deadline" from events alone (docs/mako-domain.md, "The GPKE table", column "latest").
//
// Events (shared by every workflow's event family):
//   MessageSent            {"step":"Send55002","pid":"55002","recipient":"99..","transaction_reference":"GP..",
//                           "due":"..Z","sent_at":"..Z","met":true}   -- one per outbound UTILMD
//   AnswerDeadlineMissed   {"deadline":"answer-55002","due":"..Z","at":"..Z"}
//                           -- a watchdog deadline fired while the answer it guards was still open
// State: StepLog, the list of sent steps and missed deadlines (JSON: {"sent":[...],"missed":[...]}).
#include <optional>
#include <string>
#include <vector>

#include "mako/domain/gpke/outbound_utilmd.hpp"

namespace mako::gpke {

struct MessageSent {
  static constexpr const char* kType = "MessageSent";
  std::string step;
  std::string pid;
  std::string recipient;
  std::string transaction_reference;
  std::optional<Instant> due;
  Instant sent_at{};
  bool met = true;  // sent_at <= due: the due instant itself is in time (true when no deadline)
  friend bool operator==(const MessageSent&, const MessageSent&) = default;
};
void to_json(Json& j, const MessageSent& e);
void to_json_text(std::string& out, const MessageSent& e);
void from_json(const Json& j, MessageSent& e);
// The event for a payload: met = !due || sent_at <= due.
MessageSent message_sent(const OutboundUtilmd& payload);

struct AnswerDeadlineMissed {
  static constexpr const char* kType = "AnswerDeadlineMissed";
  std::string deadline;
  Instant due{};
  Instant at{};
  friend bool operator==(const AnswerDeadlineMissed&, const AnswerDeadlineMissed&) = default;
};
void to_json(Json& j, const AnswerDeadlineMissed& e);
void to_json_text(std::string& out, const AnswerDeadlineMissed& e);
void from_json(const Json& j, AnswerDeadlineMissed& e);

class StepLog {
 public:
  void record(const MessageSent& e) { sent_.push_back(e); }
  void record(const AnswerDeadlineMissed& e) { missed_.push_back(e); }

  const std::vector<MessageSent>& sent() const { return sent_; }
  const std::vector<AnswerDeadlineMissed>& missed_deadlines() const { return missed_; }
  // The sent record of `pid` ("55002"), if that message was sent.
  const MessageSent* find_sent(const std::string& pid) const;
  bool deadline_missed(const std::string& deadline) const;

  friend void to_json(Json& j, const StepLog& log);
  friend void from_json(const Json& j, StepLog& log);
  friend bool operator==(const StepLog&, const StepLog&) = default;

 private:
  std::vector<MessageSent> sent_;
  std::vector<AnswerDeadlineMissed> missed_;
};

}  // namespace mako::gpke
