#pragma once
// Small conversions shared by the runtime-service stores (outbox, deadlines, registry, ...).
#include <cstdint>
#include <limits>
#include <optional>
#include <string>

#include "mako/core/json.hpp"
#include "mako/core/process_identity.hpp"
#include "mako/core/timestamp.hpp"
#include "statement.hpp"

namespace mako::sqlite::detail {

// The columns read_identity expects, from `streams s`, in this order.
#define MAKO_IDENTITY_COLUMNS "s.stream_id, s.tenant_id, s.process_id, s.workflow_name, s.format_version"

inline std::int64_t to_nanos(Timestamp t) { return t.time_since_epoch().count(); }
inline Timestamp from_nanos(std::int64_t ns) { return Timestamp(std::chrono::nanoseconds(ns)); }
inline std::int64_t clamp_limit(std::size_t n) {
  return n > static_cast<std::size_t>(std::numeric_limits<std::int64_t>::max())
             ? std::numeric_limits<std::int64_t>::max()
             : static_cast<std::int64_t>(n);
}

// The stream id at `column`, then the stream's process identity (absent while the stream has no event).
StreamId read_stream_id(const Statement& s, int column, const std::string& path);
std::optional<ProcessIdentity> read_identity(const Statement& s, int column, const std::string& path);
// The same, for a row whose stream id (at `column`) the caller has read already: not parsed twice.
std::optional<ProcessIdentity> read_identity(const Statement& s, int column, const std::string& path,
                                             const StreamId& stream);
// Stored JSON text as a Json; a malformed text is Corrupt, named "<what> '<name>'" (built only then).
Json parse_stored_json(std::string_view text, const std::string& path, std::string_view what, std::string_view name);
std::string dump_json_for_storage(const Json& value, const std::string& what);
void bind_id(Statement& s, int index, const Uuid& id);

}  // namespace mako::sqlite::detail
