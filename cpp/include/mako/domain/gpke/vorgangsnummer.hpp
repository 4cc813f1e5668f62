#pragma once
// Vorgangsnummern (IDE+24 transaction references) for messages a workflow sends. A workflow is
// pure, so it cannot draw random numbers: the reference is derived from what identifies the step
// (the request being answered, the answer PID and the sender), so a replayed or retried command
// yields the same reference. Answers quote it in RFF+TN (docs/mako-domain.md, "EDIFACT"), which is why the
// workflows register it as kind "vorgang".
#include <cstdint>
#include <string>
#include <string_view>

namespace mako::gpke {

// "GP" + 16 upper-case hex digits of FNV-1a 64 over "sender|request_reference|pid" (18 characters,
// within IDE+24's an..35 and the UNOA repertoire).
std::string derive_vorgangsnummer(std::string_view sender, std::string_view request_reference, std::uint32_t pid);

}  // namespace mako::gpke
