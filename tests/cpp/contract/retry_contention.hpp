#pragma once
// Optimistic races through the engine: several threads, each with its own handle on one process,
// execute commands with retry. The core and the SQLite engine tests run it on their stores.
#include <atomic>
#include <thread>
#include <vector>

#include <mako/core/engine.hpp>

namespace contract {

// `threads` threads each execute `per_thread` W::Command{1} with execute_with_retry(…, 1000) on
// their own handle of `identity`; returns how many of those executions threw.
template <class W>
int execute_with_retry_from_threads(const mako::EngineContext& ctx, const mako::ProcessIdentity& identity, int threads,
                                    int per_thread) {
  std::atomic<int> failures{0};
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      auto p = ctx.resume<W>(identity);  // one handle per thread: real optimistic races
      for (int i = 0; i < per_thread; ++i) {
        try {
          p.execute_with_retry(typename W::Command{1}, 1000);
        } catch (...) {
          ++failures;
        }
      }
    });
  }
  for (auto& th : workers) th.join();
  return failures;
}

}  // namespace contract
