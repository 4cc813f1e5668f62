#include "mako/core/retry_policy.hpp"

#include <algorithm>

namespace mako {

std::chrono::nanoseconds backoff_delay(const RetryPolicy& policy, std::uint32_t failures, double unit) {
  using std::chrono::nanoseconds;
  nanoseconds delay = policy.base;
  // Doubling stops at the cap (and long before 2^63 ns could overflow).
  for (std::uint32_t i = 1; i < failures && delay < policy.cap; ++i) delay *= 2;
  delay = std::min(delay, policy.cap);
  const double jitter = std::clamp(policy.jitter, 0.0, 1.0) * std::clamp(unit, 0.0, 1.0);
  return nanoseconds(static_cast<nanoseconds::rep>(static_cast<double>(delay.count()) * (1.0 - jitter)));
}

}  // namespace mako
