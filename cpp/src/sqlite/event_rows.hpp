#pragma once
// How an event envelope maps to a row of `events` (and its stream's row of `streams`).
//
// Ids are 16-byte BLOBs (no text formatting or parsing per row), timestamps integer nanoseconds,
// the payload JSON text. Tenant, process and workflow are stored once per stream; an event's own
// columns stay NULL unless they differ from its stream's, so replay copies them instead of parsing.
#include <optional>
#include <string>

#include "mako/core/event_envelope.hpp"
#include "statement.hpp"

namespace mako::sqlite::detail {

// Column lists shared by the statements that read events, in the order EventDecoder expects
// (a statement may select more columns after these: every column selected costs on each row).
#define MAKO_EVENT_COLUMNS                                                                                   \
  "position, sequence, event_id, event_type, schema_version, timestamp_ns, correlation_id, causation_id, " \
  "conversation_id, tenant_id, process_id, workflow_name, format_version, payload"
#define MAKO_STREAM_COLUMNS "stream_key, version, tenant_id, process_id, workflow_name, format_version, stream_id"

// A row of `streams`, read with MAKO_STREAM_COLUMNS.
struct StreamRow {
  std::int64_t key = 0;
  std::uint64_t version = 0;
  std::optional<TenantId> tenant;
  std::optional<ProcessId> process;
  std::optional<WorkflowId> workflow;
  std::optional<StreamId> stream_id;

  static StreamRow read(const Statement& s, const std::string& path);
};

Uuid uuid_from_blob(std::string_view blob, const std::string& path, const char* column);

// Turns rows read with MAKO_EVENT_COLUMNS into envelopes, reusing one envelope (and its string and
// JSON buffers) for every row.
class EventDecoder {
 public:
  explicit EventDecoder(const std::string& path) : path_(path) {}
  // The stream of the rows that follow; its identity fills the columns that are NULL. The row must
  // stay put while it is the decoder's stream.
  void set_stream(const StreamRow& stream);
  const EventEnvelope& decode(const Statement& s);

 private:
  const std::string& path_;
  const StreamRow* stream_ = nullptr;
  EventEnvelope envelope_;
  bool workflow_is_stream_ = false;  // envelope_.workflow_id holds the stream's workflow
};

}  // namespace mako::sqlite::detail
