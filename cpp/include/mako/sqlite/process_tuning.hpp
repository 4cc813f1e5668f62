#pragma once
// Process-wide SQLite settings that make mako's stores faster. They apply to every user of SQLite
// in the process (an embedder's own databases; in Python, the sqlite3 module), so mako never sets
// them by itself: a program that owns its process asks for them once, before it uses SQLite.
namespace mako::sqlite {

struct ProcessTuning {
  // A per-thread block cache as SQLite's allocator (SQLITE_CONFIG_MALLOC): Debian's SQLite has no
  // lookaside allocator, so every statement mallocs and frees about five blocks.
  bool block_cache_allocator = true;
  // SQLite's memory statistics off (SQLITE_CONFIG_MEMSTATUS): a global mutex around every
  // allocation; breaks sqlite3_memory_used() and soft heap limits for the whole process.
  bool memory_statistics_off = true;
};

// Applies what `wanted` asks for and returns what took effect: nothing once SQLite is initialized
// in this process (it refuses process-wide changes then). Call it first thing in main().
ProcessTuning tune_sqlite_process(ProcessTuning wanted = {});

}  // namespace mako::sqlite
