#pragma once
// Delivers one outbox message to its recipient (AS4, e-mail, a test double, ...).
#include "mako/core/outbox_store.hpp"

namespace mako {

class Transport {
 public:
  virtual ~Transport() = default;
  // Returns when the message was handed over; throws (any std::exception) when it was not. A
  // message may be sent again after a crash, so receivers deduplicate by its idempotency key.
  virtual void send(const OutboxItem& message) = 0;
};

}  // namespace mako
