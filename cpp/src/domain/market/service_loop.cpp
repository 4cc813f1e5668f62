#include "mako/domain/market/service_loop.hpp"

#include <algorithm>
#include <optional>
#include <stdexcept>

#include "mako/core/errors.hpp"

namespace mako::market {

ServiceLoop::ServiceLoop(std::vector<MarketParticipant*> participants, ServiceLoopOptions options)
    : participants_(std::move(participants)), options_(std::move(options)) {
  if (participants_.empty() || std::find(participants_.begin(), participants_.end(), nullptr) != participants_.end())
    throw std::invalid_argument("ServiceLoop needs at least one participant, and no null one");
  if (options_.poll_interval <= std::chrono::milliseconds::zero())
    throw std::invalid_argument("ServiceLoop: poll_interval must be positive");
}

Timestamp ServiceLoop::now() const {
  return options_.clock ? options_.clock()
                        : std::chrono::time_point_cast<Timestamp::duration>(std::chrono::system_clock::now());
}

std::uint64_t ServiceLoop::run() {
  std::uint64_t rounds = 0;
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (stop_) return rounds;
      woken_ = false;
    }
    std::optional<Timestamp> next_deadline;
    bool transient = false;
    for (MarketParticipant* p : participants_) {
      try {
        const PumpReport report = p->pump(now());
        if (report.total() > 0 && options_.on_round) options_.on_round(*p, report);
      } catch (const EngineError& e) {
        if (!e.is_transient()) throw;
        transient = true;
        if (options_.on_transient_error) options_.on_transient_error(*p, e);
      }
      if (const auto due = p->next_deadline(); due && (!next_deadline || *due < *next_deadline)) next_deadline = due;
    }
    ++rounds;
    // The next round: at once when a deadline is due already (a round fires a bounded batch), else
    // at the soonest deadline or after the poll interval.
    auto wait = std::chrono::duration_cast<std::chrono::nanoseconds>(options_.poll_interval);
    if (next_deadline && !transient)
      wait = std::min(wait, std::max(*next_deadline - now(), Timestamp::duration::zero()));
    std::unique_lock lock(mutex_);
    cv_.wait_for(lock, wait, [&] { return stop_ || woken_; });
  }
}

void ServiceLoop::request_stop() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  cv_.notify_all();
}

void ServiceLoop::wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  cv_.notify_all();
}

}  // namespace mako::market
