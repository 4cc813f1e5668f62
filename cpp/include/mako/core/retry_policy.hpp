#pragma once
// When to retry a failed delivery and when to give up: exponential backoff with jitter, capped,
// bounded by a number of attempts and by the message's age.
#include <chrono>
#include <cstdint>

namespace mako {

struct RetryPolicy {
  std::chrono::nanoseconds base = std::chrono::seconds(30);  // the delay after the first failure
  std::chrono::nanoseconds cap = std::chrono::hours(1);      // no delay grows beyond this
  // Fraction of the delay drawn at random and taken off: delay * (1 - jitter * u), u in [0, 1).
  // Spreads retries of many messages that failed together (a partner's endpoint was down).
  double jitter = 0.2;
  std::uint32_t max_attempts = 10;                            // dead letter after this many failures
  std::chrono::nanoseconds max_age = std::chrono::hours(72);  // ... or once a failure finds it this old
};

// The delay before the next attempt after `failures` failed ones (>= 1): min(cap, base * 2^(failures-1)),
// minus the jitter share for the random `unit` in [0, 1).
std::chrono::nanoseconds backoff_delay(const RetryPolicy& policy, std::uint32_t failures, double unit);

}  // namespace mako
