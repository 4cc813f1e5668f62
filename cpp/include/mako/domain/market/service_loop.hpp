#pragma once
// Market participants run on a clock until stopped: the C++ entry point for an embedder that runs
// its MaKo backend in its own process. Each round pumps every participant at the clock's time (due
// deadlines fire, waiting files are received, due messages are sent: MarketParticipant::pump);
// between rounds the loop waits until the soonest deadline, the poll interval, a wake() or a stop,
// whichever comes first. A deadline that fell due while nothing ran fires in the first round.
//
// `mako-engine serve` (python/mako_engine/serve.py) drives the same participants and adds what an
// operator needs around them: the TOML config, the gateway's hand-over folders, /health, /metrics,
// JSON logs and signals.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "mako/core/timestamp.hpp"
#include "mako/domain/market/market_participant.hpp"

namespace mako::market {

struct ServiceLoopOptions {
  // The longest wait between rounds: how soon files are picked up without a wake().
  std::chrono::milliseconds poll_interval{500};
  // The time each round runs at; default the wall clock. A test may pass its own.
  std::function<Timestamp()> clock;
  // After every round of a participant that did something.
  std::function<void(const MarketParticipant&, const PumpReport&)> on_round;
  // A round that failed with a transient error (EngineError::is_transient: a busy or lost store); the
  // loop tries again after the poll interval. Any other error ends run() by propagating.
  std::function<void(const MarketParticipant&, const std::exception&)> on_transient_error;
};

class ServiceLoop {
 public:
  // The participants must outlive the loop.
  explicit ServiceLoop(std::vector<MarketParticipant*> participants, ServiceLoopOptions options = {});

  // Runs rounds until request_stop(); a round in flight finishes first. Returns the rounds run.
  std::uint64_t run();
  // Both thread-safe (not async-signal-safe: call them from a thread, e.g. one waiting for signals).
  void request_stop();
  void wake();  // a round now, e.g. a file watcher saw a file arrive

 private:
  Timestamp now() const;
  std::vector<MarketParticipant*> participants_;
  ServiceLoopOptions options_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stop_ = false;
  bool woken_ = false;
};

}  // namespace mako::market
