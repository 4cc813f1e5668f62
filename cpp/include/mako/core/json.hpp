#pragma once
// The JSON type of the engine. Insertion-ordered so that envelopes, payloads and identities
// serialise in the documented field order and round-trip byte for byte.
#include <nlohmann/json.hpp>

namespace mako {
using Json = nlohmann::ordered_json;
}  // namespace mako
