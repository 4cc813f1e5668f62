#include "mako/domain/market/market_participant.hpp"

namespace mako::market {
namespace {

OutboxWorkerOptions outbox_options(std::uint64_t seed) {
  OutboxWorkerOptions o;
  o.jitter_seed = seed;
  o.batch_size = 1000;
  return o;
}

}  // namespace

MarketParticipant::MarketParticipant(std::string name, EngineContext engine, const WorkflowRegistry& workflows,
                                     std::shared_ptr<MarketTransport> transport, InboundPipelineOptions options,
                                     std::uint64_t jitter_seed)
    : name_(std::move(name)),
      // Inbound messages and deadlines resume the same processes again and again: keep them folded.
      engine_(engine.services()->process_cache ? engine : engine.with_process_cache()),
      transport_(transport),
      mp_ids_(options.own_mp_ids),
      pipeline_(engine_, workflows, transport, std::move(options)),
      scheduler_(engine_, workflows),
      outbox_(engine.outbox(), std::make_shared<EdifactOutboxTransport>(transport), outbox_options(jitter_seed)) {}

PumpReport MarketParticipant::pump(Timestamp now, Settle settle) {
  PumpReport report;
  // The whole round is one unit of work: one commit (and in durable mode one fsync) for all its
  // deadline claims, commands, inbox keys and outbox updates. Received files are settled only
  // after the commit, so a crash mid-round leaves them waiting; files sent before the commit may
  // be sent again after a crash (at least once; the receiver's inbox drops the duplicate).
  auto unit = engine_.begin_work_unit(UnitNesting::Join);  // a failure is rethrown: no savepoint needed
  // Deadlines first: a deadline due at `now` was due before anything that arrives at `now`
  // (e.g. the 09:00 window closes before a 09:00:30 answer is read).
  report.deadlines_fired = scheduler_.run_due(now).results.size();
  auto received = pipeline_.receive_waiting();
  report.files_received = received.size();
  try {
    const auto sent = outbox_.run_once(now);
    report.messages_sent = sent.total();
    report.messages_failed = sent.failed + sent.dead_lettered;
    unit->commit();
  } catch (...) {
    pipeline_.release(received);  // rolled back with the unit: receive them again next round
    throw;
  }
  unsettled_.insert(unsettled_.end(), std::make_move_iterator(received.begin()),
                    std::make_move_iterator(received.end()));
  if (settle == Settle::AfterCommit) settle_received();
  return report;
}

void MarketParticipant::settle_received() {
  pipeline_.settle(unsettled_);
  unsettled_.clear();
}

}  // namespace mako::market
