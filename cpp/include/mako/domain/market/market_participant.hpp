#pragma once
// One market partner's running engine: the inbound pipeline, the deadline scheduler and the outbox
// worker over one EngineContext, driven by pump(now) -- by a service loop with the wall clock, or
// by the market simulation with its simulated clock. An engine may act for several MP-IDs (a
// supplier that is LFN in one switch and LFA in another), one tenant each.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "mako/core/deadline_scheduler.hpp"
#include "mako/core/outbox_worker.hpp"
#include "mako/domain/market/edifact_outbox_transport.hpp"
#include "mako/domain/market/inbound_pipeline.hpp"

namespace mako::market {

struct PumpReport {
  std::size_t deadlines_fired = 0;  // claimed and executed (fired, moot or failed)
  std::size_t files_received = 0;
  std::size_t messages_sent = 0;    // outbox items delivered (or dead-lettered) this round
  std::size_t messages_failed = 0;  // of those, not handed over: retried later, or dead-lettered
  std::size_t total() const { return deadlines_fired + files_received + messages_sent; }
};

class MarketParticipant {
 public:
  // `workflows` must outlive the participant; the engine needs deadline, outbox and registry
  // stores (an InMemoryEventStore or a SqliteStore provides them).
  MarketParticipant(std::string name, EngineContext engine, const WorkflowRegistry& workflows,
                    std::shared_ptr<MarketTransport> transport, InboundPipelineOptions options,
                    std::uint64_t jitter_seed = 1);

  // One round at `now`, in one unit of work: due deadlines fire, waiting files are received,
  // due outbox items are sent; then the unit commits. With Settle::AfterCommit the received files
  // are settled right after that commit. With Settle::Deferred they stay in flight (not received
  // again) until settle_received(): for a caller that runs the round inside its own, enclosing
  // unit of work and must settle only after that one committed.
  enum class Settle { AfterCommit, Deferred };
  PumpReport pump(Timestamp now, Settle settle = Settle::AfterCommit);
  // Settles the files of deferred rounds.
  void settle_received();
  std::optional<Timestamp> next_deadline() const { return scheduler_.next_due(); }

  const std::string& name() const { return name_; }
  const EngineContext& engine() const { return engine_; }
  InboundPipeline& pipeline() { return pipeline_; }
  const std::shared_ptr<MarketTransport>& transport() const { return transport_; }
  const std::vector<std::string>& mp_ids() const { return mp_ids_; }

 private:
  std::string name_;
  EngineContext engine_;
  std::shared_ptr<MarketTransport> transport_;
  std::vector<std::string> mp_ids_;
  InboundPipeline pipeline_;
  DeadlineScheduler scheduler_;
  OutboxWorker outbox_;
  std::vector<std::pair<InboundFile, FileReceipt>> unsettled_;
};

}  // namespace mako::market
