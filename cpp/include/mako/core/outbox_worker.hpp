#pragma once
// Drains the outbox: sends due messages through a Transport, at least once, retrying failures with
// exponential backoff and jitter, and dead-lettering a message after too many attempts or when too
// old. Deterministic for tests: time comes in as an argument (or from an injected clock) and the
// jitter from a seeded generator.
#include <cstdint>
#include <memory>
#include <mutex>
#include <random>
#include <string>

#include "mako/core/outbox_store.hpp"
#include "mako/core/retry_policy.hpp"
#include "mako/core/timestamp.hpp"
#include "mako/core/transport.hpp"

namespace mako {

struct OutboxWorkerOptions {
  RetryPolicy retry;
  std::size_t batch_size = 100;  // messages claimed per run_once
  std::chrono::nanoseconds claim_lease = OutboxStore::kDefaultClaimLease;
  std::uint64_t jitter_seed = std::random_device{}();
  Clock clock = system_now;  // for run_once() without an argument
};

struct OutboxRunReport {
  std::size_t delivered = 0;
  std::size_t failed = 0;         // failed and scheduled for another attempt
  std::size_t dead_lettered = 0;  // failed for the last time
  std::size_t total() const { return delivered + failed + dead_lettered; }
};

class OutboxWorker {
 public:
  OutboxWorker(std::shared_ptr<OutboxStore> store, std::shared_ptr<Transport> transport,
               OutboxWorkerOptions options = {});

  // Claims the messages due at `now` (at most batch_size) and sends each once.
  OutboxRunReport run_once(Timestamp now);
  OutboxRunReport run_once() { return run_once(options_.clock()); }

  const OutboxWorkerOptions& options() const { return options_; }

 private:
  std::chrono::nanoseconds next_delay(std::uint32_t failures);

  std::shared_ptr<OutboxStore> store_;
  std::shared_ptr<Transport> transport_;
  OutboxWorkerOptions options_;
  std::mutex mutex_;  // one run at a time per worker; more workers may share a store
  std::mt19937_64 rng_;
};

}  // namespace mako
