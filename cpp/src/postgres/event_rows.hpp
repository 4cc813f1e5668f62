#pragma once
// How an event envelope maps to a row of `events` (joined with its stream's id), and back.
#include <string>

#include "mako/core/event_envelope.hpp"
#include "result.hpp"

namespace mako::postgres::detail {

// The columns every statement reading events selects, in the order decode_event expects.
#define MAKO_PG_EVENT_COLUMNS                                                                                    \
  "e.position, e.sequence, e.event_id, e.event_type, e.schema_version, e.timestamp_ns, e.correlation_id, "       \
  "e.causation_id, e.conversation_id, e.tenant_id, e.process_id, e.workflow_name, e.format_version, e.payload, " \
  "s.stream_id"
#define MAKO_PG_EVENTS_FROM " FROM events e JOIN streams s ON s.stream_key = e.stream_key "

// Reads rows of a result selected with MAKO_PG_EVENT_COLUMNS in ResultFormat::Binary (ids and
// numbers as bytes: no text to format on the server or to parse here). Unreadable values are
// EngineError(Corrupt) naming the store and the position.
class EventDecoder {
 public:
  explicit EventDecoder(const std::string& label) : label_(label) {}
  // Row `row`, decoded into one envelope reused from row to row: what a stream repeats (its id,
  // workflow, event types) is copied only when it changes. Valid until the next decode.
  const EventEnvelope& decode(const Result& r, int row);

 private:
  const std::string& label_;
  EventEnvelope envelope_;
  std::string workflow_name_, format_version_;  // the text envelope_.workflow_id was made of
};

}  // namespace mako::postgres::detail
