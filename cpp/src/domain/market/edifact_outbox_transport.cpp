#include "mako/domain/market/edifact_outbox_transport.hpp"

#include <stdexcept>

#include "mako/domain/gpke/outbound_utilmd.hpp"
#include "mako/domain/market/acknowledgements.hpp"
#include "mako/domain/market/file_name.hpp"

namespace mako::market {

EdifactOutboxTransport::EdifactOutboxTransport(std::shared_ptr<MarketTransport> wire, SentFileObserver observer)
    : wire_(std::move(wire)), observer_(std::move(observer)) {}

EdifactOutboxTransport::Rendered EdifactOutboxTransport::render(const OutboxItem& message) {
  if (message.message_type != "UTILMD")
    throw std::invalid_argument("cannot render outbox message type '" + message.message_type + "'");
  const std::string reference = interchange_reference_for(message.idempotency_key);
  // Decoded once; rendered straight to bytes (same bytes as write(render_utilmd_interchange)).
  auto payload = message.payload.get<gpke::OutboundUtilmd>();
  const auto& v = payload.vorgang;
  // UNB sender/receiver ids are the payload's MP-IDs (render_utilmd -> make_interchange).
  FileNameParts parts{v.sender, v.receiver, "UTILMD" + v.pid, reference};
  const auto sent_at = payload.sent_at;
  // Rendered first (a WriteError must not use up a sequence number); the payload's strings are
  // moved into the message, not copied.
  std::string bytes = gpke::render_utilmd_bytes(std::move(payload), reference, "1");
  return Rendered{std::move(bytes), market_file_name(sent_at, ++sequence_, parts)};
}

void EdifactOutboxTransport::send(const OutboxItem& message) {
  auto rendered = render(message);
  wire_->send(message.recipient, rendered.bytes, rendered.file_name);
  if (observer_) observer_(message.recipient, rendered.file_name);
}

}  // namespace mako::market
