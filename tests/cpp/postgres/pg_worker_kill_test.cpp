// Kill -9 during outbox delivery and deadline firing (issue 18, reliability). Four worker processes,
// each with its own PgStore::open, run an OutboxWorker and a DeadlineScheduler on one schema; their
// transport is a receiver (a store of its own) that handles each message once through its inbox.
// This process, the supervisor, keeps committing new work and kills one worker at a time with
// SIGKILL, starting a new one in its place: 100 kills ($MAKO_PG_KILLS). Half the kills come at a
// random point of the victim's work (after a random number of its deliveries and fires); a quarter
// stop the victim right after the receiver took a message and before the worker marked it delivered
// (so the message must be delivered again, and the receiver must drop it); a quarter stop it inside
// a deadline's unit of work, claim made and command running (so the claim must roll back and the
// deadline fire later, once). Kills follow the workers' progress, never the clock. At the end every
// message was delivered and handled exactly once, and every deadline fired exactly once.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <mako/core/deadline_scheduler.hpp>
#include <mako/core/engine.hpp>
#include <mako/core/outbox_worker.hpp>

#include "postgres/pg_test_server.hpp"
#include "postgres/relay_fixture.hpp"

using namespace mako;
using mako::postgres::PgStore;

namespace {

constexpr int kWorkers = 4;

int env_int(const char* name, int fallback) {
  const char* text = std::getenv(name);
  if (!text || !*text) return fallback;
  return std::atoi(text);
}

std::string one_line(std::string text) {
  for (char& ch : text)
    if (ch == '\n' || ch == '\r') ch = ' ';
  return text;
}

// ---- the worker process ------------------------------------------------------------------------

// A worker talks to the supervisor over one socket. It reports lines: "ready"; "s new <key>" or
// "s dup <key>" once the receiver's unit took a message (new, or dropped as seen before); "x" when a
// deadline's command runs; "paused"; "t <error>" for a transient error it retries; "e <error>"
// before it gives up. It reads control bytes: 'p' pause after the next hand-over, 'q' pause in the
// next deadline's command; the end of the stream: finish.
struct WorkerIo {
  int fd = -1;
  bool pause_after_send = false, pause_in_fire = false, finish = false;

  void say(const std::string& line) {
    const std::string text = line + "\n";
    std::size_t done = 0;
    while (done < text.size()) {
      const auto n = ::send(fd, text.data() + done, text.size() - done, MSG_NOSIGNAL);
      if (n <= 0) ::_exit(3);  // the supervisor is gone
      done += static_cast<std::size_t>(n);
    }
  }
  // Takes the control bytes that are there; never waits.
  void take_control() {
    char buffer[64];
    for (;;) {
      const auto n = ::recv(fd, buffer, sizeof buffer, MSG_DONTWAIT);
      if (n == 0) finish = true;
      if (n <= 0) return;
      for (ssize_t i = 0; i < n; ++i) {
        if (buffer[i] == 'p') pause_after_send = true;
        if (buffer[i] == 'q') pause_in_fire = true;
      }
    }
  }
  // Stays here, having said so, until killed (or until the supervisor goes away).
  [[noreturn]] void pause() {
    say("paused");
    for (;;) {
      pollfd p{fd, POLLIN, 0};
      ::poll(&p, 1, -1);
      char c;
      if (::recv(fd, &c, 1, MSG_DONTWAIT) == 0) ::_exit(0);
    }
  }
  // A worker with nothing to do waits for up to `ms` (a control byte or the end wakes it at once).
  // Pace only: nothing depends on how long it waits.
  void idle(int ms) {
    pollfd p{fd, POLLIN, 0};
    ::poll(&p, 1, ms);
  }
};

int work(const std::string& conninfo, const std::string& sender_schema, const std::string& receiver_schema,
         WorkerIo& io) {
  try {
    auto store = PgStore::open(conninfo, pg_test::options(sender_schema));
    auto receiver = PgStore::open(conninfo, pg_test::options(receiver_schema));
    WorkflowRegistry workflows;
    workflows.add<relay::Workflow>("relay");
    relay::on_timeout() = [&io] {
      io.say("x");
      io.take_control();
      if (io.pause_in_fire) io.pause();  // claimed, command running, nothing committed
    };
    auto transport = std::make_shared<relay::ReceivingTransport>(receiver, [&io](const OutboxItem& m, bool fresh) {
      io.say(std::string(fresh ? "s new " : "s dup ") + m.idempotency_key);
      io.take_control();
      if (io.pause_after_send) io.pause();  // handed over, not yet marked delivered
    });
    auto engine = EngineBuilder().with_event_store(store).build();
    OutboxWorker outbox(engine.outbox(), transport, relay::worker_options());
    DeadlineScheduler scheduler(engine, workflows, DeadlineSchedulerOptions{4, 3});
    io.say("ready");
    for (;;) {
      io.take_control();
      if (io.finish) return 0;
      try {
        const auto sent = outbox.run_once(system_now());
        const auto fired = scheduler.run_due(system_now());
        if (sent.total() == 0 && fired.results.empty()) io.idle(20);
      } catch (const EngineError& e) {
        if (!e.is_transient()) throw;  // a server fault, a lost race: the next round
        io.say("t " + one_line(e.what()));
        io.idle(5);
      }
    }
  } catch (const std::exception& e) {
    io.say("e " + one_line(e.what()));
    return 1;
  }
}

// ---- the supervisor ----------------------------------------------------------------------------

enum class KillMode { Random, AfterSend, InFire };
const char* mode_name(KillMode m) {
  return m == KillMode::Random ? "random" : m == KillMode::AfterSend ? "after hand-over" : "mid-fire";
}

struct Worker {
  pid_t pid = -1;
  int fd = -1;
  std::string partial;  // a line not yet complete
  bool ready = false, paused = false;
  std::string last_key;  // of its last "s" line
};

// What the supervisor heard from all workers.
struct Heard {
  std::map<std::string, int> new_lines, dup_lines;  // per message key
  std::size_t fires = 0, transient = 0;
  std::vector<std::string> errors;
  std::string last_transient;
};

class Pool {
 public:
  Pool(std::string conninfo, std::string sender, std::string receiver)
      : conninfo_(std::move(conninfo)), sender_(std::move(sender)), receiver_(std::move(receiver)) {}
  ~Pool() {  // a failed test leaves no worker behind
    for (auto& w : workers_)
      if (w.pid > 0) {
        ::kill(w.pid, SIGKILL);
        ::waitpid(w.pid, nullptr, 0);
      }
  }
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  std::vector<Worker>& workers() { return workers_; }

  void spawn(std::size_t i) {
    if (workers_.size() <= i) workers_.resize(i + 1);
    int sv[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0) FAIL("socketpair failed");
    const pid_t pid = ::fork();
    if (pid < 0) FAIL("fork failed");
    if (pid == 0) {
      // The supervisor's ends of the other workers' sockets are not this worker's business.
      for (auto& w : workers_)
        if (w.fd >= 0) ::close(w.fd);
      ::close(sv[0]);
      WorkerIo io{sv[1]};
      ::_exit(work(conninfo_, sender_, receiver_, io));  // the child touches nothing of Catch
    }
    ::close(sv[1]);
    workers_[i] = Worker{pid, sv[0], {}, false, false, {}};
  }

  bool tell(std::size_t i, char c) { return ::send(workers_[i].fd, &c, 1, MSG_NOSIGNAL) == 1; }

  // Reads what worker i said so far (never waits); calls on_line for each complete line.
  template <class F>
  void read(std::size_t i, F&& on_line) {
    auto& w = workers_[i];
    char buffer[8192];
    for (;;) {
      const auto n = ::recv(w.fd, buffer, sizeof buffer, MSG_DONTWAIT);
      if (n <= 0) break;
      w.partial.append(buffer, static_cast<std::size_t>(n));
    }
    std::size_t begin = 0;
    for (std::size_t end; (end = w.partial.find('\n', begin)) != std::string::npos; begin = end + 1)
      on_line(w.partial.substr(begin, end - begin));
    w.partial.erase(0, begin);
  }

  // SIGKILL, reaped; returns false if the worker had ended by itself already.
  template <class F>
  bool kill(std::size_t i, F&& on_line) {
    auto& w = workers_[i];
    ::kill(w.pid, SIGKILL);
    int status = 0;
    ::waitpid(w.pid, &status, 0);
    w.pid = -1;
    read(i, on_line);  // what it said before it died still counts
    ::close(w.fd);
    w.fd = -1;
    return WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
  }

  // Tells every worker to finish, reads them to the end, and returns how many exited cleanly.
  template <class F>
  int finish_all(F&& on_line) {
    int clean = 0;
    for (std::size_t i = 0; i < workers_.size(); ++i) ::shutdown(workers_[i].fd, SHUT_WR);
    for (std::size_t i = 0; i < workers_.size(); ++i) {
      auto& w = workers_[i];
      for (;;) {  // to the end of its stream: it closes it when it exits
        pollfd p{w.fd, POLLIN, 0};
        ::poll(&p, 1, -1);
        char buffer[8192];
        const auto n = ::recv(w.fd, buffer, sizeof buffer, 0);
        if (n <= 0) break;
        w.partial.append(buffer, static_cast<std::size_t>(n));
      }
      read(i, on_line);
      int status = 0;
      ::waitpid(w.pid, &status, 0);
      w.pid = -1;
      ::close(w.fd);
      w.fd = -1;
      clean += WIFEXITED(status) && WEXITSTATUS(status) == 0;
    }
    return clean;
  }

  // A worker that ended without being killed (an error it could not handle).
  bool any_exited() {
    for (auto& w : workers_) {
      int status = 0;
      if (w.pid > 0 && ::waitpid(w.pid, &status, WNOHANG) == w.pid) {
        w.pid = -1;
        return true;
      }
    }
    return false;
  }

 private:
  std::string conninfo_, sender_, receiver_;
  std::vector<Worker> workers_;
};

}  // namespace

TEST_CASE("postgres workers: kill -9 at random moments during delivery and firing, every message handled once",
          "[postgres][concurrency][crash][workers]") {
  const int kills_wanted = env_int("MAKO_PG_KILLS", 100);
  const int timeout_s = env_int("MAKO_PG_KILL_TIMEOUT_S", 600);  // a bound on a hang, not a measure
  const unsigned seed = static_cast<unsigned>(env_int("MAKO_PG_KILL_SEED", static_cast<int>(std::random_device{}())));
  INFO("kills " << kills_wanted << ", seed " << seed << " (MAKO_PG_KILLS, MAKO_PG_KILL_SEED)");
  std::mt19937 rng(seed);
  const auto started = std::chrono::steady_clock::now();

  const auto conninfo = pg_test::conninfo();
  const auto sender_schema = pg_test::fresh_schema("kill_sender");
  const auto receiver_schema = pg_test::fresh_schema("kill_receiver");
  auto store = PgStore::open(conninfo, pg_test::options(sender_schema));  // both migrated before the workers start
  auto receiver = PgStore::open(conninfo, pg_test::options(receiver_schema));
  pg_test::Peek peek;

  std::vector<relay::Produced> produced;
  std::size_t produced_messages = 0;
  const auto produce = [&](int processes) {
    for (int i = 0; i < processes; ++i) {
      auto [p, batch] = relay::new_process(system_now());
      store->append(batch);
      produced_messages += p.keys.size();
      produced.push_back(std::move(p));
    }
  };

  Pool pool(conninfo, sender_schema, receiver_schema);
  Heard heard;
  int victim = -1, victim_progress = 0, trigger = 0, kills = 0;
  KillMode mode = KillMode::Random;
  std::map<KillMode, int> kills_by_mode;
  std::vector<std::string> paused_keys;  // handed over by a victim that was then killed before marking them

  const auto on_line_of = [&](std::size_t i, bool counts) {
    return [&, i, counts](const std::string& line) {
      auto& w = pool.workers()[i];
      const bool progress = line.rfind("s ", 0) == 0 || line == "x";
      if (line == "ready") w.ready = true;
      else if (line.rfind("s new ", 0) == 0) ++heard.new_lines[w.last_key = line.substr(6)];
      else if (line.rfind("s dup ", 0) == 0) ++heard.dup_lines[w.last_key = line.substr(6)];
      else if (line == "x") ++heard.fires;
      else if (line == "paused") w.paused = true;
      else if (line.rfind("t ", 0) == 0) ++heard.transient, heard.last_transient = line.substr(2);
      else if (line.rfind("e ", 0) == 0) heard.errors.push_back("worker " + std::to_string(i) + ": " + line.substr(2));
      if (counts && progress && static_cast<int>(i) == victim) ++victim_progress;
    };
  };

  for (std::size_t i = 0; i < kWorkers; ++i) pool.spawn(i);
  produce(16);
  bool drained = false;
  auto last_check = std::chrono::steady_clock::now();
  while (!drained && heard.errors.empty()) {
    if (std::chrono::steady_clock::now() - started > std::chrono::seconds(timeout_s))
      FAIL("not done after " << timeout_s << " s: " << kills << " kills, " << heard.new_lines.size() << " of "
                             << produced_messages
                             << " messages handed over; last transient error: " << heard.last_transient);
    // New work while kills are due, a few dozen messages ahead of the workers.
    if (kills < kills_wanted && produced_messages < heard.new_lines.size() + 48) produce(8);

    // The next victim, among the workers that are up, and how it will be killed.
    if (kills < kills_wanted && victim < 0) {
      std::vector<int> up;
      for (int i = 0; i < kWorkers; ++i)
        if (pool.workers()[i].ready) up.push_back(i);
      if (!up.empty()) {
        victim = up[rng() % up.size()];
        static constexpr KillMode kRotation[] = {KillMode::Random, KillMode::AfterSend, KillMode::Random,
                                                 KillMode::InFire};
        mode = kRotation[kills % 4];
        victim_progress = 0;
        trigger = 1 + static_cast<int>(rng() % 8);
        if (mode == KillMode::AfterSend) pool.tell(victim, 'p');
        if (mode == KillMode::InFire) pool.tell(victim, 'q');
      }
    }

    std::vector<pollfd> fds;
    for (auto& w : pool.workers()) fds.push_back(pollfd{w.fd, POLLIN, 0});
    const int ready = ::poll(fds.data(), fds.size(), 100);
    for (std::size_t i = 0; i < fds.size(); ++i)
      if (fds[i].revents) pool.read(i, on_line_of(i, true));

    if (victim >= 0) {
      auto& w = pool.workers()[victim];
      const bool due = mode == KillMode::Random ? victim_progress >= trigger : w.paused;
      if (due) {
        const std::string key = w.last_key;
        if (!pool.kill(victim, on_line_of(victim, false)))
          heard.errors.push_back("worker " + std::to_string(victim) + " had ended before its kill");
        if (mode == KillMode::AfterSend) paused_keys.push_back(key);
        ++kills_by_mode[mode];
        ++kills;
        pool.spawn(victim);
        victim = -1;
      }
    }
    if (pool.any_exited()) heard.errors.push_back("a worker ended by itself");

    // Done once every kill is made and nothing is pending: no message, no deadline (a deadline a
    // scheduler is firing is pending for everyone else until its unit commits).
    const auto now = std::chrono::steady_clock::now();
    if (kills >= kills_wanted && (ready == 0 || now - last_check > std::chrono::milliseconds(200))) {
      last_check = now;
      drained = peek.exec("SELECT (SELECT count(*) FROM " + sender_schema + ".outbox WHERE status = 'pending') + " +
                          "(SELECT count(*) FROM " + sender_schema + ".deadlines WHERE status = 'pending')") == "0";
    }
  }
  INFO("worker errors: " << Catch::Detail::stringify(heard.errors));
  REQUIRE(heard.errors.empty());
  const int clean = pool.finish_all([&](const std::string& line) {
    if (line.rfind("e ", 0) == 0) heard.errors.push_back(line.substr(2));
  });
  CHECK(clean == kWorkers);

  const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::size_t redelivered = 0;
  for (const auto& [key, n] : heard.dup_lines) redelivered += static_cast<std::size_t>(n);
  std::printf(
      "pg_worker_kill_test: %d kills (%d random, %d after hand-over, %d mid-fire), %zu messages, %zu deadlines, "
      "%zu deliveries dropped by the inbox as seen before, %zu commands run (fires incl. rolled back), "
      "%zu transient errors, %.1f s, seed %u\n",
      kills, kills_by_mode[KillMode::Random], kills_by_mode[KillMode::AfterSend], kills_by_mode[KillMode::InFire],
      produced_messages, produced.size(), redelivered, heard.fires, heard.transient, seconds, seed);

  CHECK(kills == kills_wanted);
  relay::check_exactly_once(*store, *receiver, produced);
  // The receiver never took a message as new twice, and every message a victim had handed over
  // without marking it was delivered again and dropped by the inbox.
  for (const auto& [key, n] : heard.new_lines)
    if (n > 1) FAIL(key << " was taken as new " << n << " times");
  for (const auto& key : paused_keys)
    if (heard.new_lines[key] + heard.dup_lines[key] < 2) FAIL(key << " was not delivered again after its worker died");
  if (kills_wanted >= 4) {
    CHECK(kills_by_mode[KillMode::AfterSend] >= 1);
    CHECK(kills_by_mode[KillMode::InFire] >= 1);
  }
}
