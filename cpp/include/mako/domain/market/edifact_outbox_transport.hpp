#pragma once
// The outbox's transport for MaKo: renders an outbox item into an EDIFACT interchange and hands the
// bytes to a MarketTransport. UTILMD payloads (gpke/outbound_utilmd.hpp) are rendered with
// gpke::render_utilmd_bytes (the bytes of write(gpke::render_utilmd_interchange), written directly). The interchange
// reference is derived from the item's idempotency key: a message resent after a crash keeps its reference, so the
// receiver's inbox drops the second copy.
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "mako/core/transport.hpp"
#include "mako/domain/market/market_transport.hpp"

namespace mako::market {

// Called for every file handed to the MarketTransport (statistics, logs).
using SentFileObserver = std::function<void(const std::string& recipient, const std::string& file_name)>;

class EdifactOutboxTransport : public mako::Transport {
 public:
  explicit EdifactOutboxTransport(std::shared_ptr<MarketTransport> wire, SentFileObserver observer = {});

  // Throws std::invalid_argument for a message type it cannot render (the worker retries and
  // finally dead-letters it, so nothing is lost silently).
  void send(const OutboxItem& message) override;

  // The bytes send() would write for `message`, and the file name (sequence from this sender).
  struct Rendered {
    std::string bytes;
    std::string file_name;
  };
  Rendered render(const OutboxItem& message);

 private:
  std::shared_ptr<MarketTransport> wire_;
  SentFileObserver observer_;
  std::atomic<std::uint64_t> sequence_{0};
};

}  // namespace mako::market
