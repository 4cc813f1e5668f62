#pragma once
// JSON text exactly as Json::dump() writes it (compact, UTF-8 kept, invalid UTF-8 an error),
// appended to a buffer. Stores write every payload, outbox message and deadline command through
// here, and C++ types that can write themselves (to_json_text, see EventPayload) skip building a
// mako::Json at all.
//
// nlohmann's serializer looks at every byte through its UTF-8 decoder and costs ~35 instructions
// per byte of a typical payload. These functions copy plain ASCII strings in runs and write
// integers with std::to_chars; what they do not cover exactly -- strings with non-ASCII bytes
// (which nlohmann validates as UTF-8 and rejects when invalid), floating-point numbers, binary
// values -- goes through nlohmann's serializer, so the text and the errors are exactly dump()'s.
#include <string>
#include <string_view>

#include "mako/core/json.hpp"

namespace mako {

// Appends `value`; throws Json::exception where Json::dump() would.
void append_json(const Json& value, std::string& out);
// Appends `s` as a quoted JSON string, escaped as Json::dump() escapes it.
void append_json_string(std::string_view s, std::string& out);

// The first byte in [p, end) that a JSON string cannot hold as it is ('"', '\\', a control byte)
// or that is not ASCII (>= 0x80), or `end`. Eight bytes per step: readers and writers of stored
// JSON skip plain runs with it.
const char* json_plain_run(const char* p, const char* end) noexcept;

}  // namespace mako
