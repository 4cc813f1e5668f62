#pragma once
// How hard a commit tries to survive a power loss. Named, so configuration files and the CLI can say
// "durable", "relaxed" or "memory".
#include <string>
#include <string_view>

namespace mako::sqlite {

enum class Durability {
  Durable,  // default. WAL + synchronous=FULL: the WAL is fsynced on every commit; survives power loss.
  Relaxed,  // WAL + synchronous=NORMAL: fsync only at checkpoints; survives a process crash, a power
            // loss may drop the last commits (never corrupts).
  Memory,   // ":memory:" database, or for a file WAL + synchronous=OFF (no fsync at all): for tests,
            // simulations and throw-away bulk loads.
};

// "durable" | "relaxed" | "memory" (case-sensitive). Throws EngineError(InvalidInput) naming the choices.
Durability parse_durability(std::string_view text);
std::string to_string(Durability durability);

}  // namespace mako::sqlite
