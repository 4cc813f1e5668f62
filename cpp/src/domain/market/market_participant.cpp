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
      engine_(engine),
      transport_(transport),
      mp_ids_(options.own_mp_ids),
      pipeline_(engine, workflows, transport, std::move(options)),
      scheduler_(engine, workflows),
      outbox_(engine.outbox(), std::make_shared<EdifactOutboxTransport>(transport), outbox_options(jitter_seed)) {}

PumpReport MarketParticipant::pump(Timestamp now) {
    PumpReport report;
    // Deadlines first: a deadline due at `now` was due before anything that arrives at `now`
    // (e.g. the 09:00 window closes before a 09:00:30 answer is read).
    report.deadlines_fired = scheduler_.run_due(now).results.size();
    report.files_received = pipeline_.poll_once().size();
    report.messages_sent = outbox_.run_once(now).total();
    return report;
}

}  // namespace mako::market
