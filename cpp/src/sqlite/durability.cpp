#include "mako/sqlite/durability.hpp"

#include "mako/core/errors.hpp"

namespace mako::sqlite {

Durability parse_durability(std::string_view text) {
  if (text == "durable") return Durability::Durable;
  if (text == "relaxed") return Durability::Relaxed;
  if (text == "memory") return Durability::Memory;
  throw EngineError::invalid_input("unknown durability '" + std::string(text) +
                                   "': expected durable, relaxed or memory");
}

std::string to_string(Durability durability) {
  switch (durability) {
    case Durability::Durable: return "durable";
    case Durability::Relaxed: return "relaxed";
    case Durability::Memory: return "memory";
  }
  return "durable";
}

}  // namespace mako::sqlite
