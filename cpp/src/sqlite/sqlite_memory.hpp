#pragma once
// SQLite's memory allocator for mako's stores (see sqlite_memory.cpp).

namespace mako::sqlite::detail {

// Installs the block cache as SQLite's allocator; true when SQLite took it (false once SQLite is
// initialized in this process: then its default allocator stays).
bool install_block_cache_allocator();

}  // namespace mako::sqlite::detail
