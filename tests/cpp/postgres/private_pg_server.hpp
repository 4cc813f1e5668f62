#pragma once
// A PostgreSQL server of one test's own, for tests that crash and restart it (other tests run on the
// shared server at the same time): started by tools/pg-test-server.sh in a temporary folder, stopped
// and deleted at the end.
#include <catch2/catch.hpp>

#include <stdlib.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <string>

#include <mako/core/errors.hpp>

namespace pg_test {

class PrivateServer {
 public:
  PrivateServer() {
    char parent[] = "/tmp/mako-pg-restart.XXXXXX";
    if (!::mkdtemp(parent)) FAIL("mkdtemp failed");
    parent_ = parent;
    std::filesystem::permissions(parent_,
                                 std::filesystem::perms::owner_all | std::filesystem::perms::group_exec |
                                     std::filesystem::perms::others_exec);  // the server user must reach its folder
    dir_ = parent_ + "/pg";
    const std::string line = run_capturing(std::string(MAKO_PG_TEST_SERVER) + " start " + dir_);
    const auto open = line.find('\''), close = line.rfind('\'');
    if (open == std::string::npos || close <= open) FAIL("pg-test-server.sh start printed: " << line);
    conninfo_ = line.substr(open + 1, close - open - 1);
  }
  ~PrivateServer() {
    std::system((std::string(MAKO_PG_TEST_SERVER) + " stop " + dir_ + " >/dev/null 2>&1").c_str());
    std::error_code ec;
    std::filesystem::remove_all(parent_, ec);
  }
  const std::string& conninfo() const { return conninfo_; }
  // Kills the server as a crash would and starts it again (returns once it accepts connections).
  void crash_and_restart() const {
    if (std::system((std::string(MAKO_PG_TEST_SERVER) + " restart " + dir_).c_str()) != 0) FAIL("the restart failed");
  }

 private:
  static std::string run_capturing(const std::string& command) {
    std::string out;
    FILE* pipe = ::popen(command.c_str(), "r");
    if (!pipe) FAIL("cannot run " << command);
    char buffer[512];
    while (std::fgets(buffer, sizeof buffer, pipe)) out += buffer;
    if (::pclose(pipe) != 0) FAIL(command << " failed: " << out);
    return out;
  }
  std::string parent_, dir_, conninfo_;
};

// Repeats `f` while it fails transiently (the server is down or restarting).
template <class F>
auto retrying(F&& f, std::atomic<int>& transient) {
  for (;;) {
    try {
      return f();
    } catch (const mako::EngineError& e) {
      if (!e.is_transient() || e.is_version_conflict()) throw;
      ++transient;
    }
  }
}

}  // namespace pg_test
