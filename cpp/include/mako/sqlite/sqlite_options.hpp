#pragma once
// Options for opening a SQLite database file.
#include <chrono>
#include <cstdint>

#include "mako/sqlite/durability.hpp"

namespace mako::sqlite {

struct SqliteOptions {
  Durability durability = Durability::Durable;
  // How long a writer waits for another connection's write lock (also across OS processes) before
  // the append fails with EngineError(Busy), which is transient.
  std::chrono::milliseconds busy_timeout{5000};
  // Opens the file without write access: reads work, every write fails with EngineError(Storage).
  bool read_only = false;
  // Caps the database at this many pages (PRAGMA max_page_count) — a quota; 0 = unlimited.
  // A commit that would grow past it fails with EngineError(Storage) and leaves earlier commits intact.
  std::uint64_t max_pages = 0;
};

}  // namespace mako::sqlite
