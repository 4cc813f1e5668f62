#include "sqlite_error.hpp"

#include <sqlite3.h>

namespace mako::sqlite::detail {

EngineError sqlite_error(int code, const std::string& path, const std::string& doing,
                         const std::string& sqlite_message) {
  const std::string where = "sqlite store '" + path + "': " + doing + ": ";
  const std::string detail = sqlite_message + " (" + sqlite3_errstr(code) + ", code " + std::to_string(code) + ")";
  switch (code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return {EngineError::Kind::Busy, where + "the database is locked by another writer; retry later: " + detail};
    case SQLITE_CORRUPT: return {EngineError::Kind::Corrupt, where + "the database file is corrupted: " + detail};
    case SQLITE_NOTADB:
      return {EngineError::Kind::Corrupt,
              where + "the file is not a SQLite database (or is encrypted or damaged): " + detail};
    case SQLITE_FULL:
      return {EngineError::Kind::Storage,
              where + "the disk or the database quota is full; nothing of this commit was written: " + detail};
    case SQLITE_READONLY:
    case SQLITE_PERM: return {EngineError::Kind::Storage, where + "the database is read-only: " + detail};
    case SQLITE_CANTOPEN: return {EngineError::Kind::Storage, where + "cannot open the database file: " + detail};
    case SQLITE_INTERRUPT: return {EngineError::Kind::Interrupted, where + detail};
    case SQLITE_TOOBIG:
    case SQLITE_MISMATCH:
    case SQLITE_RANGE: return {EngineError::Kind::InvalidInput, where + detail};
    default: return {EngineError::Kind::Storage, where + detail};
  }
}

}  // namespace mako::sqlite::detail
