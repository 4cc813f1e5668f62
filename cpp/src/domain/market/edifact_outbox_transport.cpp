#include "mako/domain/market/edifact_outbox_transport.hpp"

#include <stdexcept>

#include "mako/domain/edifact/writer.hpp"
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
    const auto interchange = gpke::render_utilmd_interchange(message.payload, reference, "1");
    const auto sent_at = gpke::instant_from_json(message.payload.at("sent_at"));
    FileNameParts parts{interchange.sender.id, interchange.receiver.id,
                        "UTILMD" + message.payload.at("pid").get<std::string>(), reference};
    return Rendered{edifact::write(interchange), market_file_name(sent_at, ++sequence_, parts)};
}

void EdifactOutboxTransport::send(const OutboxItem& message) {
    auto rendered = render(message);
    wire_->send(message.recipient, rendered.bytes, rendered.file_name);
    if (observer_) observer_(message.recipient, rendered.file_name);
}

}  // namespace mako::market
