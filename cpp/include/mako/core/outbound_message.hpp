#pragma once
// What a workflow asks the engine to send and to remember, persisted with its events in one commit.
#include <string>
#include <string_view>

#include "mako/core/format_version.hpp"
#include "mako/core/ids.hpp"
#include "mako/core/json.hpp"
#include "mako/core/timestamp.hpp"

namespace mako {

// A message for the outbox: delivered at least once, deduplicated by idempotency_key.
struct OutboundMessage {
  std::string step;          // the workflow step that sends it, e.g. "DispatchAperak"
  std::string recipient;     // market-partner id of the receiver
  std::string message_type;  // e.g. "UTILMD", "APERAK"
  Json payload;
  // Filled by the engine when empty: idempotency_key(process, step, recipient, format version).
  std::string idempotency_key;
};

// UUIDv5 over "{process_id}|{step}|{recipient}|{format_version}" in the outbox namespace, so a
// retried command produces the same key and the outbox drops the duplicate.
Uuid outbox_idempotency_key(const ProcessId& process, std::string_view step, std::string_view recipient,
                            const FormatVersion& format_version);

// A deadline: at `due`, the scheduler delivers `command` to the process (at most once).
struct DeadlineRequest {
  std::string name;  // unique per process, e.g. "answer-55002"
  Timestamp due{};
  Json command;
};

// A registry entry written with the events: makes the process findable by a tenant-scoped key,
// e.g. kind "malo" + the MaLo-ID (routing key) or kind "vorgang" + a Vorgangsnummer that answers
// will quote in RFF+TN (correlation tag).
struct RegistryEntry {
  std::string kind;
  std::string key;
};

}  // namespace mako
