#pragma once
// The shared work of the reliability tests (pg_worker_kill_test.cpp, pg_worker_restart_test.cpp):
// "relay" processes, each committed with kMessagesPerProcess outbox messages and one deadline due at
// once; a receiver with a store of its own (another schema) that handles each message exactly once
// through its inbox; the options the workers run with; and the checks at the end: every message
// delivered and handled exactly once, every deadline fired exactly once.
#include <catch2/catch.hpp>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <mako/core/errors.hpp>
#include <mako/core/outbox_worker.hpp>
#include <mako/core/transport.hpp>
#include <mako/core/workflow_output.hpp>
#include <mako/postgres/pg_store.hpp>

#include "contract/runtime_fixture.hpp"

namespace relay {

constexpr int kMessagesPerProcess = 3;
inline const mako::TenantId kTenant = mako::TenantId::from_party_id("9900123456789");

// Called while a deadline's command runs: inside the scheduler's unit of work, after its claim and
// before the command's events are appended. The kill test's workers pause there to be killed.
inline std::function<void()>& on_timeout() {
  static std::function<void()> hook;
  return hook;
}

// The workflow the deadlines fire into. Timeout always appends TimedOut, also a second time: a
// deadline fired twice shows as two TimedOut events, which the checks count.
struct Workflow {
  struct State {
    int timeouts = 0;
  };
  struct Event {
    std::string type;
    const char* event_type() const { return type.c_str(); }
  };
  struct Command {
    std::string type;
  };
  void apply(State& s, const Event& e) const {
    if (e.type == "TimedOut") ++s.timeouts;
  }
  mako::WorkflowOutput<Event> handle(const State&, const Command& c) const {
    if (c.type != "Timeout") throw mako::WorkflowError::rejected("unknown command " + c.type);
    if (on_timeout()) on_timeout()();
    return {{Event{"TimedOut"}}};
  }
};
inline void to_json(mako::Json& j, const Workflow::Event& e) { j = mako::Json{{"type", e.type}}; }
inline void from_json(const mako::Json& j, Workflow::Event& e) { e.type = j.at("type").get<std::string>(); }
inline void to_json(mako::Json& j, const Workflow::State& s) { j = mako::Json{{"timeouts", s.timeouts}}; }
inline void from_json(const mako::Json& j, Workflow::State& s) { s.timeouts = j.at("timeouts").get<int>(); }
inline void from_json(const mako::Json& j, Workflow::Command& c) { c.type = j.at("type").get<std::string>(); }

// What a producer committed: a process and the keys of its messages.
struct Produced {
  mako::ProcessIdentity identity;
  std::vector<std::string> keys;
};

// A new process's first commit: its first event, its messages and its deadline "answer" (due at
// `now`, so at once), written with NoStream: a commit repeated after a lost connection conflicts
// instead of writing twice.
inline std::pair<Produced, mako::CommitBatch> new_process(mako::Timestamp now) {
  Produced p{contract::new_process(kTenant, "relay"), {}};
  auto b = contract::process_commit(p.identity, now);
  b.expected = mako::ExpectedVersion::no_stream();
  for (int m = 0; m < kMessagesPerProcess; ++m) {
    const auto key = p.identity.process_id.to_string() + "-m" + std::to_string(m);
    b.messages.push_back(contract::message(key, "Send" + std::to_string(m)));
    p.keys.push_back(key);
  }
  b.deadlines.push_back(mako::DeadlineRequest{"answer", now, mako::Json{{"type", "Timeout"}}});
  return {std::move(p), std::move(b)};
}

inline std::string handled_stream(const std::string& key) { return "received/" + key; }

// The receiver: in one unit of work of its own store it records the message's key in its inbox
// and, only if the key is new, appends "Handled" to the stream received/<key>. A message delivered
// again (its worker died before marking it delivered) is dropped there. `after` runs once the
// receiver's unit committed (the message is handed over), before send returns.
class ReceivingTransport final : public mako::Transport {
 public:
  using After = std::function<void(const mako::OutboxItem&, bool fresh)>;
  ReceivingTransport(std::shared_ptr<mako::postgres::PgStore> receiver, After after = {})
      : receiver_(std::move(receiver)), after_(std::move(after)) {}

  void send(const mako::OutboxItem& m) override {
    bool fresh = false;
    {
      auto unit = receiver_->begin_work_unit();
      fresh = receiver_->inbox()->record_if_new(m.process->tenant_id, m.idempotency_key, mako::system_now());
      if (fresh) {
        mako::CommitBatch b{
            mako::StreamId(handled_stream(m.idempotency_key)), mako::ExpectedVersion::any(), {}, {}, {}, {}};
        auto& e = b.events.emplace_back();
        e.event_type = "Handled";
        e.payload = mako::Json{{"type", "Handled"}, {"data", {{"key", m.idempotency_key}}}};
        e.timestamp = mako::system_now();
        receiver_->append(b);
      }
      unit->commit();
    }
    if (after_) after_(m, fresh);
  }

 private:
  std::shared_ptr<mako::postgres::PgStore> receiver_;
  After after_;
};

// A short lease, so a killed worker's claims come back soon (correctness never depends on it: a
// lease that runs out under a live worker only means a second delivery, which the inbox drops), and
// quick retries that never give up within a test run.
inline mako::OutboxWorkerOptions worker_options() {
  mako::OutboxWorkerOptions o;
  o.batch_size = 4;
  o.claim_lease = std::chrono::milliseconds(300);
  o.retry = mako::RetryPolicy{std::chrono::milliseconds(10), std::chrono::milliseconds(200), 0.2, 1000000,
                              std::chrono::hours(1000)};
  return o;
}

// The checks at the end of a run: each produced message delivered (status), handled exactly once by
// the receiver (one Handled event in its stream; its key in the inbox); each deadline fired, its
// command executed exactly once (one TimedOut event). Read through the stores, in one go each.
inline void check_exactly_once(mako::postgres::PgStore& sender, mako::postgres::PgStore& receiver,
                               const std::vector<Produced>& produced) {
  std::map<std::string, int> handled, timeouts;
  for (const auto& e : receiver.read_all(0, 10'000'000))
    if (e.event_type == "Handled") ++handled[e.stream_id.str()];
  for (const auto& e : sender.read_all(0, 10'000'000))
    if (e.event_type == "TimedOut") ++timeouts[e.stream_id.str()];

  std::size_t messages = 0, not_delivered = 0, not_handled_once = 0, not_in_inbox = 0, not_fired_once = 0,
              not_marked_fired = 0;
  std::vector<std::string> examples;
  const auto note = [&](const std::string& what) {
    if (examples.size() < 10) examples.push_back(what);
  };
  auto outbox = sender.outbox();
  auto deadlines = sender.deadlines();
  auto inbox = receiver.inbox();
  for (const auto& p : produced) {
    for (const auto& key : p.keys) {
      ++messages;
      const auto item = outbox->find(key);
      if (!item || item->status != mako::OutboxStatus::Delivered) ++not_delivered, note(key + " not delivered");
      const auto it = handled.find(handled_stream(key));
      const int n = it == handled.end() ? 0 : it->second;
      if (n != 1) ++not_handled_once, note(key + " handled " + std::to_string(n) + " times");
      if (!inbox->contains(kTenant, key)) ++not_in_inbox, note(key + " not in the inbox");
    }
    const auto it = timeouts.find(p.identity.stream_id.str());
    const int n = it == timeouts.end() ? 0 : it->second;
    if (n != 1) ++not_fired_once, note(p.identity.stream_id.str() + ": deadline fired " + std::to_string(n) + " times");
    const auto d = deadlines->find(p.identity.stream_id, "answer");
    if (!d || d->status != mako::DeadlineStatus::Fired)
      ++not_marked_fired,
          note(p.identity.stream_id.str() + ": deadline " + (d ? mako::deadline_status_name(d->status) : "missing"));
  }
  INFO("messages " << messages << ", deadlines " << produced.size()
                   << "; first problems: " << Catch::Detail::stringify(examples));
  CHECK(not_delivered == 0);
  CHECK(not_handled_once == 0);
  CHECK(not_in_inbox == 0);
  CHECK(not_fired_once == 0);
  CHECK(not_marked_fired == 0);
  // Nothing else was handled or fired: no message or deadline the producer did not commit.
  CHECK(handled.size() == messages);
  CHECK(timeouts.size() == produced.size());
  CHECK(outbox->dead_letters().empty());
  CHECK(outbox->pending_count() == 0);
  CHECK(deadlines->pending().empty());
}

}  // namespace relay
