// Parser/writer throughput on a generated 1,000-message UTILMD interchange.
// Usage: bench_edifact_parse [results-file]  (appends one line of numbers when given)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "mako/domain/edifact/corpus.hpp"
#include "mako/domain/edifact/parser.hpp"
#include "mako/domain/edifact/utilmd.hpp"
#include "mako/domain/edifact/writer.hpp"

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
  constexpr int kRounds = 30;
  const std::string bytes = corpus::utilmd_bulk_interchange(kMessages);
  const double mb = static_cast<double>(bytes.size()) / 1e6;

  std::size_t sink = 0;
  const double lex = best_seconds(kRounds, [&] { sink += parse_segments(bytes).segments.size(); });
  const double full = best_seconds(kRounds, [&] { sink += parse(bytes).messages.size(); });
  const Interchange ic = parse(bytes);
  const double view = best_seconds(kRounds, [&] {
    for (const auto& m : ic.messages) sink += read_utilmd(m).transactions.size();
  });
  const double wr = best_seconds(kRounds, [&] { sink += write(ic).size(); });

  char line[512];
  std::snprintf(line, sizeof line,
                "edifact_parse bytes=%zu messages=%zu | parse_segments %.1f MB/s | parse %.1f MB/s %.0f msgs/s | "
                "read_utilmd %.0f msgs/s | write %.1f MB/s (sink %zu)",
                bytes.size(), kMessages, mb / lex, mb / full, kMessages / full, kMessages / view, mb / wr, sink % 10);
  std::puts(line);
  if (argc > 1) {
    std::ofstream out(argv[1], std::ios::app);
    out << "## EDIFACT codec (`bench_edifact_parse`)\n\n" << line << "\n\n";
    if (!out) {
      std::fprintf(stderr, "cannot write %s\n", argv[1]);
      return 1;
    }
  }
  return 0;
}
