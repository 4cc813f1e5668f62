#pragma once
// Turning SQLite result codes into EngineErrors that say what failed, on which file, and whether a
// retry can help.
#include <string>

#include "mako/core/errors.hpp"

namespace mako::sqlite::detail {

// `code` is a (possibly extended) SQLite result code; `doing` says what the store was doing.
EngineError sqlite_error(int code, const std::string& path, const std::string& doing,
                         const std::string& sqlite_message);

}  // namespace mako::sqlite::detail
