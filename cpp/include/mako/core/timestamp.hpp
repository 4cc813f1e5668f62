#pragma once
// UTC instants with nanosecond precision and their RFC 3339 text form.
#include <chrono>
#include <functional>
#include <string>
#include <string_view>

namespace mako {

using Timestamp = std::chrono::sys_time<std::chrono::nanoseconds>;

// Fraction printed in groups of 3/6/9 digits as needed, "Z" suffix (the form chrono's serde writes),
// so timestamps written by either implementation round-trip byte for byte.
std::string format_rfc3339(Timestamp t);
// Accepts 'T' or ' ' separator, 0-9 fraction digits, "Z" or a numeric offset. Throws EngineError(InvalidInput).
Timestamp parse_rfc3339(std::string_view text);

// The engine's source of "now"; injectable so tests and simulations can move time.
using Clock = std::function<Timestamp()>;
Timestamp system_now();

}  // namespace mako
