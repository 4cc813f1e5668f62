#pragma once
// How an event envelope maps to a row of `events` (and its stream's row of `streams`).
//
// Ids are 16-byte BLOBs (no text formatting or parsing per row), timestamps integer nanoseconds,
// the payload JSON text. Tenant, process and workflow are stored once per stream; an event's own
// columns stay NULL unless they differ from its stream's, so replay copies them instead of parsing.
#include <memory>
#include <optional>
#include <string>

#include "mako/core/event_envelope.hpp"
#include "statement.hpp"

namespace mako::sqlite::detail {

// Column lists shared by the statements that read events, in the order EventDecoder expects
// (a statement may select more columns after these: every column selected costs on each row).
#define MAKO_EVENT_COLUMNS                                                                                 \
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

// Parses a stored payload into `out`; malformed text is EngineError(Corrupt) naming the position.
void parse_payload(std::string_view text, Json& out, const std::string& path, std::uint64_t position);

// A payload read back as its stored JSON text, parsed on first request (at most once, thread-safe;
// a malformed text then throws EngineError(Corrupt) naming the file and position).
class StoredPayload final : public NativeEvent {
 public:
  StoredPayload(std::string text, std::shared_ptr<const std::string> path, std::uint64_t position);
  const std::string& text() const { return text_; }
  // The stored text behind `payload`, if it is one (so a writer can copy it without a parse).
  static const StoredPayload* of(const EventPayload& payload);

 private:
  Json render() const override;
  std::string text_;
  std::shared_ptr<const std::string> path_;  // the file, for the error message only
  std::uint64_t position_;
};

// Turns rows read with MAKO_EVENT_COLUMNS into envelopes, reusing one envelope (and its string and
// JSON buffers) for every row.
class EventDecoder {
 public:
  // Eager (replay): each payload is parsed into the previous row's JSON tree, which usually has
  // the same shape. Lazy (read_all): each payload keeps its text and is parsed when first read
  // (StoredPayload), so a reader that looks at types and ids only -- a projection, a summary --
  // parses nothing it skips.
  enum class Payload { Eager, Lazy };
  explicit EventDecoder(const std::string& path, Payload payload = Payload::Eager)
      : path_(path), lazy_(payload == Payload::Lazy) {}
  // The stream of the rows that follow; its identity fills the columns that are NULL. The row must
  // stay put while it is the decoder's stream.
  void set_stream(const StreamRow& stream);
  const EventEnvelope& decode(const Statement& s);

 private:
  const std::string& path_;
  const StreamRow* stream_ = nullptr;
  EventEnvelope envelope_;
  bool workflow_is_stream_ = false;  // envelope_.workflow_id holds the stream's workflow
  bool lazy_;
  std::shared_ptr<const std::string> shared_path_;  // for the lazy payloads, made once
};

}  // namespace mako::sqlite::detail
