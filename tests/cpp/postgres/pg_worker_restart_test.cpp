// A server crash and restart while outbox workers and deadline schedulers run (issue 18,
// reliability), on a server of this test's own. Four workers, each with its own stores, run an
// OutboxWorker (delivering to a receiver that handles each message once through its inbox) and a
// DeadlineScheduler; a producer commits new processes, each with messages and a deadline. Once the
// workers are well under way (counted deliveries and fires, no timer) the server is killed
// (pg_ctl -m immediate) and started again. The workers and the producer get transient errors while it
// is down, reconnect on their own and finish. Nothing acknowledged is lost: every message of every
// acknowledged commit is delivered and handled exactly once, every deadline fires exactly once.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <map>
#include <mutex>
#include <thread>

#include <mako/core/deadline_scheduler.hpp>
#include <mako/core/engine.hpp>
#include <mako/core/outbox_worker.hpp>

#include "postgres/pg_test_server.hpp"
#include "postgres/private_pg_server.hpp"
#include "postgres/relay_fixture.hpp"

using namespace mako;
using namespace std::chrono_literals;
using mako::postgres::PgStore;

TEST_CASE(
    "postgres workers: a server crash and restart mid-run: workers reconnect and finish, nothing acknowledged lost",
    "[postgres][faults][restart][workers]") {
  constexpr int kWorkers = 4, kProcessesAfterRestart = 30;
  constexpr int kHandedBeforeCrash = 150, kFiresBeforeCrash = 40;  // "well under way"
  const auto started = std::chrono::steady_clock::now();
  pg_test::PrivateServer server;
  postgres::PgOptions sender_options, receiver_options;
  sender_options.schema = "sender";
  receiver_options.schema = "receiver";
  PgStore::open(server.conninfo(), sender_options);  // migrated once, before the workers start
  PgStore::open(server.conninfo(), receiver_options);
  WorkflowRegistry workflows;
  workflows.add<relay::Workflow>("relay");

  std::atomic<int> handed{0}, fires{0}, transient{0}, after_restart{0};
  std::atomic<bool> restarted{false}, stop{false};
  std::mutex mutex;
  std::condition_variable changed;  // wakes the main thread when a counter moved or an error came
  std::vector<relay::Produced> produced;
  std::size_t produced_messages = 0;
  std::vector<std::string> errors;
  const auto poke = [&] {  // taking the mutex first: a waiter between its check and its wait is not missed
    { std::lock_guard lock(mutex); }
    changed.notify_all();
  };
  const auto fail = [&](const std::string& what) {
    std::lock_guard lock(mutex);
    errors.push_back(what);
    changed.notify_all();
  };
  // The worker that makes the kFiresBeforeCrash-th fire, and the one that makes the
  // kHandedBeforeCrash-th hand-over, stop there until the server has restarted: one in the middle of
  // a deadline's unit of work (claimed, command running), one between the receiver's commit and
  // marking the message delivered. So the crash surely hits both windows: that unit must roll back
  // and its deadline fire later, once; that message must be delivered again and dropped by the inbox.
  const auto hold_until_restarted = [&] {
    std::unique_lock lock(mutex);
    changed.wait(lock, [&] { return restarted.load() || !errors.empty(); });
  };
  std::string held_key;
  std::map<std::string, int> handovers;  // per message key
  relay::on_timeout() = [&] {
    const int n = ++fires;
    poke();
    if (n == kFiresBeforeCrash) hold_until_restarted();
  };
  struct Unhook {
    ~Unhook() { relay::on_timeout() = nullptr; }
  } unhook;

  std::vector<std::thread> threads;
  for (int w = 0; w < kWorkers; ++w) {
    threads.emplace_back([&, w] {
      try {
        auto store = pg_test::retrying([&] { return PgStore::open(server.conninfo(), sender_options); }, transient);
        auto receiver =
            pg_test::retrying([&] { return PgStore::open(server.conninfo(), receiver_options); }, transient);
        auto transport = std::make_shared<relay::ReceivingTransport>(receiver, [&](const OutboxItem& m, bool) {
          int n = 0;
          {
            std::lock_guard lock(mutex);
            ++handovers[m.idempotency_key];
            n = ++handed;
            if (n == kHandedBeforeCrash) held_key = m.idempotency_key;
          }
          changed.notify_all();
          if (n == kHandedBeforeCrash) hold_until_restarted();
        });
        auto engine = EngineBuilder().with_event_store(store).build();
        OutboxWorker outbox(engine.outbox(), transport, relay::worker_options());
        DeadlineScheduler scheduler(engine, workflows, DeadlineSchedulerOptions{4, 3});
        while (!stop.load()) {
          try {
            const auto sent = outbox.run_once(system_now());
            const auto fired = scheduler.run_due(system_now());
            if (sent.total() == 0 && fired.results.empty()) std::this_thread::sleep_for(5ms);  // idle pace only
          } catch (const EngineError& e) {
            if (!e.is_transient()) throw;  // a lost connection must surface as transient (issue 18)
            ++transient;
            std::this_thread::sleep_for(5ms);  // pace only: the server may be down for a while
          }
        }
      } catch (const std::exception& e) {
        fail("worker " + std::to_string(w) + ": " + e.what());
      }
    });
  }

  // The producer: new processes, a few dozen messages ahead of the workers, until the restart and
  // kProcessesAfterRestart commits after it. A commit counts once it is acknowledged.
  threads.emplace_back([&] {
    try {
      auto store = pg_test::retrying([&] { return PgStore::open(server.conninfo(), sender_options); }, transient);
      while (!(restarted.load() && after_restart.load() >= kProcessesAfterRestart)) {
        const bool counts = restarted.load();  // this commit began after the restart
        {
          std::unique_lock lock(mutex);
          changed.wait(lock, [&] {
            return produced_messages < static_cast<std::size_t>(handed.load()) + 48 || restarted.load() ||
                   !errors.empty();
          });
          if (!errors.empty()) return;
        }
        auto [p, batch] = relay::new_process(system_now());
        try {
          pg_test::retrying([&] { return store->append(batch); }, transient);
        } catch (const EngineError& e) {
          if (!e.is_version_conflict()) throw;
          // The connection was lost during a COMMIT that did happen: the repeat (NoStream) conflicts.
          if (pg_test::retrying([&] { return store->stream_version(p.identity.stream_id); }, transient) != 1) throw;
        }
        std::lock_guard lock(mutex);
        produced_messages += p.keys.size();
        produced.push_back(std::move(p));
        if (counts) ++after_restart;
      }
    } catch (const std::exception& e) {
      fail(std::string("producer: ") + e.what());
    }
  });

  const auto stop_all = [&] {
    stop = true;
    restarted = true;  // the producer waits for nothing more
    poke();
    for (auto& t : threads)
      if (t.joinable()) t.join();
  };
  {
    std::unique_lock lock(mutex);
    changed.wait(lock, [&] {
      return (handed.load() >= kHandedBeforeCrash && fires.load() >= kFiresBeforeCrash) || !errors.empty();
    });
  }
  const int handed_at_crash = handed.load(), fires_at_crash = fires.load();
  if (errors.empty()) server.crash_and_restart();
  restarted = true;
  poke();
  threads.back().join();  // the producer is done

  // The workers finish the work: nothing pending any more (a deadline being fired is pending for
  // everyone else until its unit commits). Checked whenever something moved, at least every 100 ms.
  auto checker = pg_test::retrying([&] { return PgStore::open(server.conninfo(), sender_options); }, transient);
  for (;;) {
    {
      std::unique_lock lock(mutex);
      changed.wait_for(lock, 100ms);
      if (!errors.empty()) break;
    }
    const auto pending = pg_test::retrying(
        [&] { return checker->outbox()->pending_count() + checker->deadlines()->pending().size(); }, transient);
    if (pending == 0) break;
    if (std::chrono::steady_clock::now() - started > 600s) {  // a bound on a hang, not a measure
      stop_all();
      FAIL("not done after 600 s: " << pending << " messages and deadlines pending");
    }
  }
  stop_all();
  INFO("errors: " << Catch::Detail::stringify(errors));
  REQUIRE(errors.empty());

  const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::printf(
      "pg_worker_restart_test: crash after %d hand-overs and %d fires; %zu processes (%d after the restart), %zu "
      "messages, %d hand-overs, %d fires incl. rolled back, %d transient errors, %.1f s\n",
      handed_at_crash, fires_at_crash, produced.size(), after_restart.load(), produced_messages, handed.load(),
      fires.load(), transient.load(), seconds);
  CHECK(transient.load() > 0);  // the workers did see the server go away
  // The held message was delivered again after the restart; the held fire was rolled back and
  // its deadline fired again.
  CHECK(handovers[held_key] >= 2);
  CHECK(static_cast<std::size_t>(fires.load()) > produced.size());
  CHECK(after_restart.load() >= kProcessesAfterRestart);
  auto receiver = PgStore::open(server.conninfo(), receiver_options);
  relay::check_exactly_once(*checker, *receiver, produced);
}
