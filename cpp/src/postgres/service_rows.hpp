#pragma once
// Small conversions shared by the runtime-service stores (outbox, deadlines, registry, ...).
#include <chrono>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "mako/core/json.hpp"
#include "mako/core/process_identity.hpp"
#include "mako/core/timestamp.hpp"
#include "result.hpp"

namespace mako::postgres::detail {

// The columns read_identity expects, from `streams s`, in this order.
#define MAKO_PG_IDENTITY_COLUMNS "s.stream_id, s.tenant_id, s.process_id, s.workflow_name, s.format_version"

inline std::int64_t to_nanos(Timestamp t) { return t.time_since_epoch().count(); }
inline Timestamp from_nanos(std::int64_t ns) { return Timestamp(std::chrono::nanoseconds(ns)); }
inline std::int64_t clamp_limit(std::uint64_t n) {
  return n > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())
             ? std::numeric_limits<std::int64_t>::max()
             : static_cast<std::int64_t>(n);
}

// The stream id at `column`; unreadable: Corrupt naming the store.
StreamId read_stream_id(const Result& r, int row, int column, const std::string& label);
// The stream's process identity from MAKO_PG_IDENTITY_COLUMNS at `column` (absent while the stream has no event).
std::optional<ProcessIdentity> read_identity(const Result& r, int row, int column, const std::string& label);
// Stored JSON text as a Json; a malformed text is Corrupt, named "<what> '<name>'".
Json parse_stored_json(std::string_view text, const std::string& label, std::string_view what, std::string_view name);
// A value as JSON text for a `json` column; what cannot be rendered is Serialization naming `what`.
std::string dump_json_for_storage(const Json& value, const std::string& what);

}  // namespace mako::postgres::detail
