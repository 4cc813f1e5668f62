#include "mako/core/outbox_worker.hpp"

#include <exception>

#include "mako/core/errors.hpp"

namespace mako {

OutboxWorker::OutboxWorker(std::shared_ptr<OutboxStore> store, std::shared_ptr<Transport> transport,
                           OutboxWorkerOptions options)
    : store_(std::move(store)),
      transport_(std::move(transport)),
      options_(std::move(options)),
      rng_(options_.jitter_seed) {
  if (!store_) throw EngineError::invalid_input("OutboxWorker needs an outbox store");
  if (!transport_) throw EngineError::invalid_input("OutboxWorker needs a transport");
  if (options_.retry.max_attempts == 0)
    throw EngineError::invalid_input("OutboxWorker: retry.max_attempts must be >= 1");
}

std::chrono::nanoseconds OutboxWorker::next_delay(std::uint32_t failures) {
  // 53 random bits as a double in [0, 1): the same sequence on every platform for a given seed.
  const double unit = static_cast<double>(rng_() >> 11) * 0x1.0p-53;
  return backoff_delay(options_.retry, failures, unit);
}

OutboxRunReport OutboxWorker::run_once(Timestamp now) {
  std::lock_guard lock(mutex_);
  OutboxRunReport report;
  for (const OutboxItem& item : store_->claim_due(now, options_.batch_size, options_.claim_lease)) {
    std::string error;
    try {
      transport_->send(item);
      store_->mark_delivered(item.idempotency_key, now);
      ++report.delivered;
      continue;
    } catch (const std::exception& e) {
      error = e.what();
    } catch (...) {
      error = "unknown error";
    }
    const std::uint32_t failures = item.attempts + 1;
    const auto age = now - item.enqueued_at;
    std::string reason;
    if (failures >= options_.retry.max_attempts)
      reason = "gave up after " + std::to_string(failures) + " attempts (max_attempts " +
               std::to_string(options_.retry.max_attempts) + "); last error: " + error;
    else if (age >= options_.retry.max_age)
      reason = "gave up after " + std::to_string(failures) + " attempts: older than max_age (" +
               std::to_string(std::chrono::duration_cast<std::chrono::seconds>(age).count()) +
               " s); last error: " + error;
    if (reason.empty()) {
      store_->mark_failed(item.idempotency_key, error, now + next_delay(failures));
      ++report.failed;
    } else {
      store_->mark_failed(item.idempotency_key, error, now);  // count the attempt, then give up
      store_->dead_letter(item.idempotency_key, reason, now);
      ++report.dead_lettered;
    }
  }
  return report;
}

}  // namespace mako
