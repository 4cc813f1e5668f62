// The block cache mako can give SQLite as its allocator (cpp/src/sqlite/sqlite_memory.cpp): installed by
// tune_sqlite_process (opt-in), sizes and contents right for every size class, usable from any thread.
#include <catch2/catch.hpp>

#include <sqlite3.h>

#include <cstdlib>
#include <cstring>
#include <thread>
#include <vector>

#include "mako/sqlite/process_tuning.hpp"
#include "mako/sqlite/sqlite_store.hpp"

namespace {
bool filled_with(const void* p, int n, unsigned char byte) {
  const auto* b = static_cast<const unsigned char*>(p);
  for (int i = 0; i < n; ++i)
    if (b[i] != byte) return false;
  return true;
}

// Allocates, writes, grows, shrinks and frees blocks of every size class and beyond; returns the
// number of problems found (no Catch assertions here: it runs on several threads at once).
int exercise(unsigned char seed) {
  int problems = 0;
  std::vector<std::pair<void*, int>> blocks;
  for (int n = 1; n <= 12000; n += (n < 1100 ? 7 : 331)) {
    void* p = sqlite3_malloc(n);
    if (!p) return problems + 1;
    if (sqlite3_msize(p) < static_cast<sqlite3_uint64>(n)) ++problems;
    std::memset(p, seed, static_cast<std::size_t>(n));
    blocks.emplace_back(p, n);
  }
  for (auto& [p, n] : blocks) {
    if (!filled_with(p, n, seed)) ++problems;  // no block handed out twice
    const int grown = n * 2 + 1;
    void* q = sqlite3_realloc(p, grown);
    if (!q) return problems + 1;
    p = q;
    if (!filled_with(p, n, seed)) ++problems;  // contents survive a move
    if (sqlite3_msize(p) < static_cast<sqlite3_uint64>(grown)) ++problems;
    q = sqlite3_realloc(p, n / 2 + 1);
    if (!q) return problems + 1;
    p = q;
    if (!filled_with(p, n / 2 + 1, seed)) ++problems;
  }
  for (auto& [p, n] : blocks) sqlite3_free(p);
  return problems;
}
}  // namespace

// This test program tunes its process first thing, as market_simulation does (process_tuning.hpp):
// a static initializer runs before any test opens SQLite.
const mako::sqlite::ProcessTuning kTuned = mako::sqlite::tune_sqlite_process();

TEST_CASE("sqlite memory: tuning is refused once SQLite is initialized", "[sqlite][memory]") {
  auto store = mako::sqlite::SqliteStore::open(":memory:");
  const auto again = mako::sqlite::tune_sqlite_process();
  CHECK_FALSE(again.block_cache_allocator);
  CHECK_FALSE(again.memory_statistics_off);
}

TEST_CASE("sqlite memory: the tuned process uses the block cache, every size works on every thread",
          "[sqlite][memory]") {
  REQUIRE(kTuned.block_cache_allocator);
  REQUIRE(kTuned.memory_statistics_off);
  auto store = mako::sqlite::SqliteStore::open(":memory:");
  void* probe = sqlite3_malloc(1);
  CHECK(sqlite3_msize(probe) == 16);  // SQLite's own allocator rounds to 8 (or malloc's usable size)
  sqlite3_free(probe);

  CHECK(exercise(0x5a) == 0);
  std::vector<int> problems(4, -1);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([t, &problems] { problems[t] = exercise(static_cast<unsigned char>(t + 1)); });
  for (auto& t : threads) t.join();
  CHECK(problems == std::vector<int>(4, 0));
  // Blocks freed on another thread than the one that allocated them.
  std::vector<void*> handed_over;
  std::thread([&] {
    for (int i = 0; i < 500; ++i) handed_over.push_back(sqlite3_malloc(40 + i % 3000));
  }).join();
  for (void* p : handed_over) {
    CHECK(p != nullptr);
    sqlite3_free(p);
  }
  CHECK(exercise(0xa5) == 0);
}
