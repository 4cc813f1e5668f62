// A child process for the SQLite crash and multi-process tests.
//
//   mako_sqlite_crash_writer <db> crash <run-id> <durability> <seed>
//     Appends forever — single commits and append_many groups — and prints one line per commit the
//     store acknowledged, after it returned: "ack <batch-id> <events>". The parent kills it with
//     SIGKILL at a random moment and checks that every acknowledged batch survived, whole.
//     Each event's payload data carries {"batch": id, "of": events in the batch, "idx": i}; each batch
//     also writes one outbox message keyed by its id and one deadline, so a partial batch is visible.
//
//   mako_sqlite_crash_writer <db> race <writer-id> <appends>
//     Appends `appends` single events to stream "race/shared" with Exact(version), re-reading the
//     version after each conflict, and prints "done <written> <conflicts> <busy>".
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

#include <mako/sqlite/sqlite_store.hpp>

namespace {

void say(const std::string& line) {
  std::string out = line + "\n";
  // write(2) directly: the line is in the pipe before the next commit starts, no stdio buffering.
  const char* p = out.data();
  std::size_t left = out.size();
  while (left > 0) {
    auto n = ::write(STDOUT_FILENO, p, left);
    if (n <= 0) std::_Exit(3);
    p += n;
    left -= static_cast<std::size_t>(n);
  }
}

mako::CommitBatch make_batch(const std::string& batch_id, int stream, int events) {
  mako::CommitBatch b{mako::StreamId("crash/" + std::to_string(stream)), mako::ExpectedVersion::any(), {}, {}, {}, {}};
  const auto tenant = mako::TenantId::from_party_id("9900123456789");
  const auto process = mako::ProcessId::from_uuid(mako::Uuid::v5(mako::Uuid::nil(), "crash/" + std::to_string(stream)));
  for (int i = 0; i < events; ++i) {
    mako::EventEnvelope e;
    e.event_type = "Written";
    e.tenant_id = tenant;
    e.process_id = process;
    e.workflow_id = mako::WorkflowId("crash", "FV2025-10-01");
    e.timestamp = mako::system_now();
    e.payload = mako::Json{{"type", "Written"}, {"data", {{"batch", batch_id}, {"of", events}, {"idx", i}}}};
    b.events.push_back(std::move(e));
  }
  b.messages.push_back(
      mako::OutboundMessage{"Send", "4012345000023", "APERAK", mako::Json{{"batch", batch_id}}, batch_id});
  b.deadlines.push_back(mako::DeadlineRequest{"d-" + batch_id, mako::system_now(), mako::Json{{"type", "Timeout"}}});
  return b;
}

int crash(const std::string& path, const std::string& run, const std::string& durability, unsigned seed) {
  mako::sqlite::SqliteOptions options;
  options.durability = mako::sqlite::parse_durability(durability);
  auto store = mako::sqlite::SqliteStore::open(path, options);
  say("ready");
  std::mt19937 rng(seed);
  for (long n = 0;; ++n) {
    if (rng() % 3 == 0) {
      std::vector<mako::CommitBatch> batches;
      const int count = 2 + static_cast<int>(rng() % 30);
      for (int i = 0; i < count; ++i)
        batches.push_back(make_batch(run + "-" + std::to_string(n) + "-" + std::to_string(i),
                                     static_cast<int>(rng() % 20), 1 + static_cast<int>(rng() % 4)));
      auto results = store->append_many(batches);
      for (std::size_t i = 0; i < batches.size(); ++i) {
        if (results[i]) {
          say("error " + std::string(results[i]->what()));
          return 2;
        }
        say("ack " + batches[i].messages[0].idempotency_key + " " + std::to_string(batches[i].events.size()));
      }
    } else {
      auto b = make_batch(run + "-" + std::to_string(n), static_cast<int>(rng() % 20), 1 + static_cast<int>(rng() % 4));
      store->append(b);
      say("ack " + b.messages[0].idempotency_key + " " + std::to_string(b.events.size()));
    }
  }
}

int race(const std::string& path, const std::string& writer, int appends) {
  auto store = mako::sqlite::SqliteStore::open(path);
  const mako::StreamId stream("race/shared");
  int written = 0, conflicts = 0, busy = 0;
  while (written < appends) {
    auto version = store->stream_version(stream);
    mako::CommitBatch b{stream, mako::ExpectedVersion::exact(version), {}, {}, {}, {}};
    mako::EventEnvelope e;
    e.event_type = "Raced";
    e.payload = mako::Json{{"type", "Raced"}, {"data", {{"writer", writer}, {"n", written}}}};
    b.events.push_back(std::move(e));
    try {
      store->append(b);
      ++written;
    } catch (const mako::EngineError& err) {
      if (err.is_version_conflict()) ++conflicts;
      else if (err.kind() == mako::EngineError::Kind::Busy) ++busy;
      else throw;
    }
  }
  say("done " + std::to_string(written) + " " + std::to_string(conflicts) + " " + std::to_string(busy));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    if (argc >= 6 && std::string(argv[2]) == "crash")
      return crash(argv[1], argv[3], argv[4], static_cast<unsigned>(std::stoul(argv[5])));
    if (argc >= 5 && std::string(argv[2]) == "race") return race(argv[1], argv[3], std::stoi(argv[4]));
  } catch (const std::exception& e) {
    say(std::string("error ") + e.what());
    return 2;
  }
  std::fprintf(stderr, "usage: %s <db> crash <run-id> <durability> <seed> | <db> race <writer-id> <appends>\n",
               argv[0]);
  return 64;
}
