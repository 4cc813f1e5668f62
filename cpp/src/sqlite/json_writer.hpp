#pragma once
// Appends the text Json::dump() gives (compact, UTF-8 unescaped) for a mako::Json to a buffer.
//
// Every event payload, outbox payload and deadline command is dumped on the way into SQLite;
// nlohmann's serializer looks at every byte through its UTF-8 decoder and costs ~35 instructions per
// byte of a typical payload. This writer copies plain ASCII strings in runs and writes integers with
// std::to_chars; what it does not cover exactly -- strings with non-ASCII bytes (which nlohmann
// validates as UTF-8 and rejects when invalid), floating-point numbers, binary values -- goes
// through nlohmann's serializer, so the text and the errors are exactly Json::dump()'s.
#include <string>

#include "mako/core/json.hpp"

namespace mako::sqlite::detail {

class JsonWriter {
 public:
  // Appends `value` to `out`; throws Json::exception where Json::dump() would.
  void append(const Json& value, std::string& out);

 private:
  void string(const std::string& s, std::string& out);
  void fallback(const Json& value, std::string& out);
};

}  // namespace mako::sqlite::detail
