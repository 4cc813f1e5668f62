#include "sqlite_memory.hpp"

#include <sqlite3.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>

// The Debian build of SQLite has no lookaside allocator (SQLITE_OMIT_LOOKASIDE): every cursor,
// record buffer and unpacked key of every statement is a malloc/free pair, five or so per
// statement. Through glibc that is ~10% of the instructions of a market simulation. This allocator
// keeps freed blocks in per-thread free lists and hands them out again: small ones (up to 1 KiB,
// in 16-byte classes) and page-sized ones (up to 8 KiB, in 512-byte classes: a reader's page cache
// is dropped and refilled whenever the writer has committed). Bigger blocks, and what a full list
// cannot take, go to malloc/free.
// Every block carries its usable size in an 8-byte header (SQLite asks for it: xSize).
namespace mako::sqlite::detail {
namespace {

constexpr std::size_t kGrain = 16;
constexpr std::size_t kSmallClasses = 64;  // 16 .. 1024 bytes
constexpr std::size_t kLargestSmall = kSmallClasses * kGrain;
constexpr std::size_t kPageGrain = 512;
constexpr std::size_t kPageClasses = 14;  // 1536 .. 8192 bytes
constexpr std::size_t kClasses = kSmallClasses + kPageClasses;
constexpr std::size_t kSmallest = kGrain;
constexpr std::size_t kLargestCached = kLargestSmall + kPageClasses * kPageGrain;
constexpr std::uint32_t kMaxSmallPerClass = 64;  // bounds what a thread keeps: < 2.1 MiB of small blocks
constexpr std::uint32_t kMaxPagesPerClass = 32;  // and < 4 MiB of page-sized ones

// Class of a block of `n` usable bytes (n <= kLargestCached), and the usable size of a class.
std::size_t class_of(std::size_t n) {
  return n <= kLargestSmall ? (n + kGrain - 1) / kGrain
                            : kSmallClasses + (n - kLargestSmall + kPageGrain - 1) / kPageGrain;
}
std::size_t class_size(std::size_t cls) {
  return cls <= kSmallClasses ? cls * kGrain : kLargestSmall + (cls - kSmallClasses) * kPageGrain;
}

struct FreeBlock {
  FreeBlock* next;
};

// Trivially destructible: usable in any destructor that runs on this thread, even after the
// flusher below has handed the blocks back (then `closed` routes everything to malloc/free).
struct ThreadCache {
  FreeBlock* head[kClasses + 1];
  std::uint32_t count[kClasses + 1];
  bool registered;
  bool closed;
};
thread_local ThreadCache t_cache{};

void flush(ThreadCache& c) {
  for (std::size_t cls = 1; cls <= kClasses; ++cls) {
    while (FreeBlock* b = c.head[cls]) {
      c.head[cls] = b->next;
      std::free(reinterpret_cast<std::uint64_t*>(b) - 1);
    }
    c.count[cls] = 0;
  }
}

struct ThreadCacheFlusher {
  ~ThreadCacheFlusher() {
    flush(t_cache);
    t_cache.closed = true;
  }
};
thread_local ThreadCacheFlusher t_flusher;

void* raw_block(std::size_t usable) {
  auto* raw = static_cast<std::uint64_t*>(std::malloc(usable + sizeof(std::uint64_t)));
  if (!raw) return nullptr;
  raw[0] = usable;
  return raw + 1;
}

std::size_t usable_size(void* p) { return static_cast<std::size_t>(static_cast<std::uint64_t*>(p)[-1]); }

void* block_malloc(int requested) {
  const std::size_t n = requested > 0 ? static_cast<std::size_t>(requested) : kSmallest;
  if (n > kLargestCached) return raw_block(n);
  const std::size_t cls = class_of(n);
  ThreadCache& c = t_cache;
  if (FreeBlock* b = c.head[cls]) {
    c.head[cls] = b->next;
    --c.count[cls];
    return b;
  }
  if (!c.registered && !c.closed) {
    c.registered = true;
    static_cast<void>(&t_flusher);  // constructs it: its destructor empties the lists at thread exit
  }
  return raw_block(class_size(cls));
}

void block_free(void* p) {
  if (!p) return;
  const std::size_t size = usable_size(p);
  ThreadCache& c = t_cache;
  if (size <= kLargestCached && !c.closed && c.registered) {
    const std::size_t cls = class_of(size);
    if (c.count[cls] < (cls <= kSmallClasses ? kMaxSmallPerClass : kMaxPagesPerClass)) {
      auto* b = static_cast<FreeBlock*>(p);
      b->next = c.head[cls];
      c.head[cls] = b;
      ++c.count[cls];
      return;
    }
  }
  std::free(static_cast<std::uint64_t*>(p) - 1);
}

int block_size(void* p) { return p ? static_cast<int>(usable_size(p)) : 0; }

int block_roundup(int n) {
  if (n <= 0) return static_cast<int>(kSmallest);
  const auto size = static_cast<std::size_t>(n);
  return static_cast<int>(size <= kLargestCached ? class_size(class_of(size)) : (size + 7) / 8 * 8);
}

void* block_realloc(void* p, int n) {
  if (!p) return block_malloc(n);
  const std::size_t have = usable_size(p);
  if (static_cast<std::size_t>(block_roundup(n)) == have) return p;
  void* q = block_malloc(n);
  if (!q) return nullptr;
  std::memcpy(q, p, have < static_cast<std::size_t>(n) ? have : static_cast<std::size_t>(n));
  block_free(p);
  return q;
}

int block_init(void*) { return SQLITE_OK; }
void block_shutdown(void*) {}

const sqlite3_mem_methods kBlockCache = {block_malloc,  block_free, block_realloc,  block_size,
                                         block_roundup, block_init, block_shutdown, nullptr};

}  // namespace

bool install_block_cache_allocator() { return sqlite3_config(SQLITE_CONFIG_MALLOC, &kBlockCache) == SQLITE_OK; }

}  // namespace mako::sqlite::detail
