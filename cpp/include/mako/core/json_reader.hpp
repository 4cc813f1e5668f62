#pragma once
// Parses stored JSON text into an existing mako::Json, reusing its nodes, strings and containers.
//
// Replay decodes one payload per event, and payloads of one stream mostly share their shape: the
// previous event's tree already holds the right objects, keys and string buffers, so re-parsing into
// it allocates nothing. Json::parse builds a fresh tree every time (and its lexer copies every
// character), which was more than half of the replay cost.
//
// The result is exactly what Json::parse gives (value types — unsigned for non-negative integers,
// signed for negative ones, float otherwise —, member order, strings). Input outside the fast path
// — \u escapes, duplicate keys, floats beyond double's range (Json::parse refuses one too large and
// reads one too small for a subnormal, e.g. 1e-400, as 0.0), objects wider than 32 members, nesting deeper than 64, a
// UTF-8 byte order mark before the value or a NUL byte after it (Json::parse takes both, no store
// writes either), anything malformed — returns false with `out` in an unspecified state; the
// caller then falls back to Json::parse, which also produces the error message for malformed text.
// The next call may parse into that `out` again. tests/fuzz/json_reader_fuzz.cpp checks all of
// this against Json::parse.
#include <string_view>

#include "mako/core/json.hpp"

namespace mako {

// `root_members`: the room a fresh top-level object gets at once (nested ones get 8); growing past
// it moves every member once.
bool parse_json_into(std::string_view text, Json& out, std::size_t root_members = 8);

}  // namespace mako
