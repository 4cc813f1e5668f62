#include "mako/core/outbound_message.hpp"

namespace mako {

Uuid outbox_idempotency_key(const ProcessId& process, std::string_view step, std::string_view recipient,
                            const FormatVersion& format_version) {
  std::string name = process.to_string();
  name += '|';
  name += step;
  name += '|';
  name += recipient;
  name += '|';
  name += format_version.to_string();
  return Uuid::v5(id_namespaces::outbox, name);
}

}  // namespace mako
