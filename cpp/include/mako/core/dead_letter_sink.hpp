#pragma once
// Where inbound messages go that cannot be processed (unknown route key, no process to resume):
// kept with the reason and the raw payload, so an operator can look at them and replay them.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "mako/core/ids.hpp"
#include "mako/core/timestamp.hpp"

namespace mako {

struct DeadLetter {
  std::int64_t id = 0;  // assigned by the sink
  std::optional<TenantId> tenant;
  std::string source;     // who gave up, e.g. "router"
  std::string route_key;  // the key it was routed by, if any
  std::string reason;
  std::string payload;  // raw bytes as received (EDIFACT may be Latin-1: not necessarily UTF-8)
  Timestamp at{};
};

class DeadLetterSink {
 public:
  virtual ~DeadLetterSink() = default;
  // Stores the letter and returns its id.
  virtual std::int64_t put(const DeadLetter& letter) = 0;
  // The oldest first, at most `limit`.
  virtual std::vector<DeadLetter> list(std::size_t limit = std::numeric_limits<std::size_t>::max()) const = 0;
  virtual std::size_t count() const = 0;
};

}  // namespace mako
