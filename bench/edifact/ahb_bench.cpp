// What receiving UTILMD costs before any workflow runs: parse + MIG read + AHB check of a generated
// 1,000-message UTILMD interchange, the way the inbound pipeline does it (parse_views, read_utilmd
// per message, check_utilmd_ahb per message), in MB/s. bench/python/bench_makotest.py runs this
// and makotest.validate_edifact on the same bytes and reports the ratio.
// Usage: bench_edifact_ahb [results-file]  (appends one line of numbers when given)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>

#include "mako/domain/edifact/ahb_check.hpp"
#include "mako/domain/edifact/corpus.hpp"
#include "mako/domain/edifact/parsed_view.hpp"
#include "mako/domain/edifact/utilmd.hpp"

namespace {

using Clock = std::chrono::steady_clock;

// Best-of-N wall time of `fn` in seconds (best filters out noise from a shared machine).
template <class Fn>
double best_seconds(int rounds, Fn&& fn) {
  double best = 1e9;
  for (int i = 0; i < rounds; ++i) {
    const auto t0 = Clock::now();
    fn();
    best = std::min(best, std::chrono::duration<double>(Clock::now() - t0).count());
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace mako::edifact;
  constexpr std::size_t kMessages = 1000;
  constexpr int kRounds = 20;
  const std::string bytes = corpus::utilmd_bulk_interchange(kMessages);
  const double mb = static_cast<double>(bytes.size()) / 1e6;

  // The corpus conforms: a violation here would mean the benchmark measures the error path.
  ParsedInterchange parsed;
  parse_views(bytes, parsed);
  std::size_t violations = 0;
  for (const auto& m : parsed.messages) violations += check_utilmd_ahb(read_utilmd(m)).size();
  if (parsed.messages.size() != kMessages || violations != 0) {
    std::fprintf(stderr, "bulk interchange: %zu messages, %zu AHB violations\n", parsed.messages.size(), violations);
    return 1;
  }

  std::size_t sink = 0;
  const double parse_only = best_seconds(kRounds, [&] {
    parse_views(bytes, parsed);
    sink += parsed.messages.size();
  });
  const double parse_read = best_seconds(kRounds, [&] {
    parse_views(bytes, parsed);
    for (const auto& m : parsed.messages) sink += read_utilmd(m).transactions.size();
  });
  const double full = best_seconds(kRounds, [&] {
    parse_views(bytes, parsed);
    for (const auto& m : parsed.messages) sink += check_utilmd_ahb(read_utilmd(m)).size() + 1;
  });

  char line[512];
  std::snprintf(line, sizeof line,
                "edifact_ahb bytes=%zu messages=%zu | parse_views %.1f MB/s | + read_utilmd %.1f MB/s | "
                "+ check_utilmd_ahb %.1f MB/s %.0f msgs/s (sink %zu)",
                bytes.size(), kMessages, mb / parse_only, mb / parse_read, mb / full, kMessages / full, sink % 10);
  std::puts(line);
  if (argc > 1) {
    std::ofstream out(argv[1], std::ios::app);
    out << "## UTILMD parse + AHB check (`bench_edifact_ahb`)\n\n" << line << "\n\n";
    if (!out) {
      std::fprintf(stderr, "cannot write %s\n", argv[1]);
      return 1;
    }
  }
  return 0;
}
