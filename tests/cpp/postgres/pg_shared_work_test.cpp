// Work shared by instances: worker processes, each with its own PgStore::open, claim from one outbox
// and one set of deadlines. Each message is claimed by exactly one of them within a lease, each
// deadline exactly once; a worker killed (SIGKILL) after its claim leaves its messages to the others
// once the lease has passed, and a claim never waits for rows another worker holds locked. Time is
// passed in: nothing depends on the wall clock.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <map>
#include <set>
#include <string>

#include "contract/runtime_fixture.hpp"
#include "postgres/pg_test_server.hpp"

using namespace mako;
using namespace std::chrono_literals;
using mako::postgres::PgStore;

namespace {
constexpr int kWorkers = 6, kProcesses = 50, kMessagesPerProcess = 8, kDeadlinesPerProcess = 4;
const Timestamp t0 = contract::at("2025-10-01T08:00:00Z");

// Writes a whole string to a pipe (a child's report to the parent).
void write_all(int fd, const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    const auto n = ::write(fd, text.data() + done, text.size() - done);
    if (n <= 0) ::_exit(3);
    done += static_cast<std::size_t>(n);
  }
}

// Reads a pipe to its end.
std::string read_all(int fd) {
  std::string out;
  char buffer[4096];
  for (;;) {
    const auto n = ::read(fd, buffer, sizeof buffer);
    if (n <= 0) break;
    out.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return out;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::size_t begin = 0;
  for (std::size_t end; (end = text.find('\n', begin)) != std::string::npos; begin = end + 1)
    out.push_back(text.substr(begin, end - begin));
  return out;
}

// One worker process: claims messages ("m <key>") and deadlines ("d <id>") at `now` until none is
// left for it, reporting each claim as it makes it, then "done".
int work_as_child(const std::string& conninfo, const std::string& schema, Timestamp now, int fd) {
  try {
    auto store = PgStore::open(conninfo, pg_test::options(schema));
    auto outbox = store->outbox();
    auto deadlines = store->deadlines();
    for (;;) {
      const auto claimed = outbox->claim_due(now, 7, 1h);
      for (const auto& m : claimed) write_all(fd, "m " + m.idempotency_key + "\n");
      const auto due = deadlines->due(now, 5);
      for (const auto& d : due)
        if (deadlines->claim(d.id, now)) write_all(fd, "d " + std::to_string(d.id) + "\n");
      if (claimed.empty() && due.empty()) break;
    }
    write_all(fd, "done\n");
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "worker: %s\n", e.what());
    return 1;
  }
}
}  // namespace

TEST_CASE("postgres shared work: worker processes claim each message once within its lease and each deadline once",
          "[postgres][concurrency][shared-work]") {
  const auto schema = pg_test::fresh_schema("shared_work");
  const auto conninfo = pg_test::conninfo();
  auto store = PgStore::open(conninfo, pg_test::options(schema));
  std::set<std::string> all_messages;
  std::size_t all_deadlines = 0;
  for (int p = 0; p < kProcesses; ++p) {
    auto b = contract::process_commit(contract::new_process(TenantId()), t0);
    for (int m = 0; m < kMessagesPerProcess; ++m) {
      const auto key = "p" + std::to_string(p) + "-m" + std::to_string(m);
      b.messages.push_back(contract::message(key));
      all_messages.insert(key);
    }
    for (int d = 0; d < kDeadlinesPerProcess; ++d, ++all_deadlines)
      b.deadlines.push_back(DeadlineRequest{"d" + std::to_string(d), t0 + std::chrono::seconds(d), Json::object()});
    store->append(b);
  }

  // A victim claims 10 messages with a 30 s lease, reports them, and is killed before it sends any.
  std::set<std::string> victims;
  {
    int report[2], hold[2];
    REQUIRE(::pipe(report) == 0);
    REQUIRE(::pipe(hold) == 0);
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      ::close(report[0]);
      ::close(hold[1]);
      try {
        auto own = PgStore::open(conninfo, pg_test::options(schema));
        std::string lines;
        for (const auto& m : own->outbox()->claim_due(t0, 10, 30s)) lines += m.idempotency_key + "\n";
        write_all(report[1], lines);
      } catch (const std::exception& e) {
        std::fprintf(stderr, "victim: %s\n", e.what());
      }
      ::close(report[1]);
      char c;
      while (::read(hold[0], &c, 1) > 0) {  // waits here, its connections open, until killed
      }
      ::_exit(0);
    }
    ::close(report[1]);
    ::close(hold[0]);
    for (const auto& key : lines_of(read_all(report[0]))) victims.insert(key);
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    ::close(hold[1]);
    CHECK(WIFSIGNALED(status));
  }
  REQUIRE(victims.size() == 10);

  // The workers, at t0 + 10 s: the victim's lease has not run out.
  const Timestamp now = t0 + 10s;
  std::vector<std::pair<pid_t, int>> children;
  for (int w = 0; w < kWorkers; ++w) {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      ::close(fds[0]);
      ::_exit(work_as_child(conninfo, schema, now, fds[1]));  // the child touches nothing of Catch
    }
    ::close(fds[1]);
    children.emplace_back(pid, fds[0]);
  }
  std::map<std::string, int> message_claims;
  std::map<std::string, int> deadline_claims;
  int finished = 0, workers_with_claims = 0;
  for (auto& [pid, fd] : children) {
    int claims = 0;
    for (const auto& line : lines_of(read_all(fd))) {
      if (line == "done") ++finished;
      else if (line.rfind("m ", 0) == 0) ++message_claims[line.substr(2)], ++claims;
      else if (line.rfind("d ", 0) == 0) ++deadline_claims[line.substr(2)], ++claims;
    }
    workers_with_claims += claims > 0;
    int status = 0;
    ::waitpid(pid, &status, 0);
    CHECK((WIFEXITED(status) && WEXITSTATUS(status) == 0));
  }
  CHECK(finished == kWorkers);
  INFO("workers that claimed something: " << workers_with_claims);

  // Every message but the victim's was claimed, each by exactly one worker.
  CHECK(message_claims.size() == all_messages.size() - victims.size());
  for (const auto& [key, n] : message_claims) {
    if (n != 1) FAIL(key << " was claimed " << n << " times within its lease");
    if (victims.count(key)) FAIL(key << " was claimed while the victim's lease held it");
  }
  // Every deadline was claimed exactly once.
  CHECK(deadline_claims.size() == all_deadlines);
  for (const auto& [id, n] : deadline_claims)
    if (n != 1) FAIL("deadline " << id << " was claimed " << n << " times");
  CHECK(store->deadlines()->pending().empty());

  // Nobody claims again within the leases; once the victim's 30 s have passed, its messages are
  // free for the others -- exactly those.
  auto outbox = store->outbox();
  CHECK(outbox->claim_due(t0 + 30s - 1ns, 1000).empty());
  std::set<std::string> freed;
  for (const auto& m : outbox->claim_due(t0 + 30s, 1000, 1h)) freed.insert(m.idempotency_key);
  CHECK(freed == victims);
  // The workers' leases (1 h from t0 + 10 s) run out in turn: nothing was marked, so all come back.
  CHECK(outbox->claim_due(now + 1h, 1000).size() == all_messages.size() - victims.size());
}

TEST_CASE("postgres shared work: a claim passes over rows another instance holds locked, without waiting",
          "[postgres][concurrency][shared-work]") {
  const auto schema = pg_test::fresh_schema("skip_locked");
  auto options = pg_test::options(schema);
  options.lock_timeout = std::chrono::seconds(1);  // a claim that waited for the lock would fail with Busy
  auto store = PgStore::open(pg_test::conninfo(), options);
  auto b = contract::process_commit(contract::new_process(TenantId()), t0);
  for (const char* key : {"a", "b", "c", "d"}) b.messages.push_back(contract::message(key));
  b.deadlines.push_back(DeadlineRequest{"held", t0, Json::object()});
  b.deadlines.push_back(DeadlineRequest{"free", t0, Json::object()});
  store->append(b);

  // Another instance, in the middle of its claim: rows "a" and "c" and the deadline "held" locked.
  pg_test::Peek other;
  other.exec("BEGIN");
  other.exec("SELECT 1 FROM " + schema + ".outbox WHERE idempotency_key IN ('a', 'c') FOR UPDATE");
  other.exec("SELECT 1 FROM " + schema + ".deadlines WHERE name = 'held' FOR UPDATE");
  std::set<std::string> got;
  for (const auto& m : store->outbox()->claim_due(t0, 10)) got.insert(m.idempotency_key);
  CHECK(got == std::set<std::string>{"b", "d"});
  const auto due = store->deadlines()->due(t0, 10);
  REQUIRE(due.size() == 2);
  for (const auto& d : due) CHECK(store->deadlines()->claim(d.id, t0) == (d.name == "free"));
  // The other instance ends without committing (it crashed): the rows are free again.
  other.exec("ROLLBACK");
  got.clear();
  for (const auto& m : store->outbox()->claim_due(t0, 10)) got.insert(m.idempotency_key);
  CHECK(got == std::set<std::string>{"a", "c"});
  for (const auto& d : due)
    if (d.name == "held") CHECK(store->deadlines()->claim(d.id, t0));
}

TEST_CASE("postgres shared work: a command re-arming a deadline a scheduler is firing yields at once, then re-arms",
          "[postgres][concurrency][shared-work]") {
  // The scheduler holds the deadline's row (its claim, in its unit of work) and next needs the
  // process stream's row for the fired command's events; the command holds the stream's row and
  // wants the deadline's. Waiting would close a deadlock: the command fails at once (Busy) instead of waiting for the
  // lock timeout, and the fire goes on.
  const auto schema = pg_test::fresh_schema("rearm_while_firing");
  auto options = pg_test::options(schema);
  options.lock_timeout = std::chrono::seconds(2);
  auto scheduler = PgStore::open(pg_test::conninfo(), options);
  auto writer = PgStore::open(pg_test::conninfo(), options);
  const auto p = contract::new_process(TenantId());
  auto first = contract::process_commit(p, t0);
  first.deadlines = {DeadlineRequest{"answer", t0, Json{{"type", "Timeout"}}}};
  writer->append(first);
  const auto deadline = scheduler->deadlines()->find(p.stream_id, "answer");
  REQUIRE(deadline);
  const auto rearm = [&](Timestamp at) {
    auto b = contract::process_commit(p, at);
    b.deadlines = {DeadlineRequest{"answer", t0 + 1h, Json{{"type", "Again"}}}};
    return b;
  };
  {
    auto unit = scheduler->begin_work_unit();
    REQUIRE(scheduler->deadlines()->claim(deadline->id, t0));
    auto command = rearm(t0 + 1s);
    try {
      writer->append(command);
      FAIL("the re-arm must not wait for the row the firing scheduler holds");
    } catch (const EngineError& e) {
      CHECK(e.is_transient());
      CHECK_THAT(e.what(), Catch::Contains("could not obtain lock") && Catch::Contains("55P03"));
    }
    auto fired = contract::process_commit(p, t0 + 2s);
    fired.expected = ExpectedVersion::exact(1);
    CHECK(scheduler->append(fired) == 2);  // the stream's row was released by the refused command
    CHECK(scheduler->deadlines()->mark_fired(deadline->id, DeadlineStatus::Fired, ""));
    unit->commit();
  }
  CHECK(writer->stream_version(p.stream_id) == 2);  // the refused command wrote nothing
  auto retried = rearm(t0 + 3s);
  CHECK(writer->append(retried) == 3);
  const auto rearmed = writer->deadlines()->find(p.stream_id, "answer");
  CHECK(rearmed->status == DeadlineStatus::Pending);
  CHECK(rearmed->due == t0 + 1h);
  CHECK(rearmed->id == deadline->id);
}
