#include "mako/sqlite/process_tuning.hpp"

#include <sqlite3.h>

#include "sqlite_memory.hpp"

namespace mako::sqlite {

ProcessTuning tune_sqlite_process(ProcessTuning wanted) {
  ProcessTuning done{false, false};
  if (wanted.block_cache_allocator) done.block_cache_allocator = detail::install_block_cache_allocator();
  if (wanted.memory_statistics_off)
    done.memory_statistics_off = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK;
  return done;
}

}  // namespace mako::sqlite
