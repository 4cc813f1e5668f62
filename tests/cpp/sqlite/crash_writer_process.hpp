#pragma once
// The crash-writer helper program (MAKO_SQLITE_CRASH_WRITER) as a child process whose stdout is a pipe.
#include <catch2/catch.hpp>

#include <spawn.h>
#include <unistd.h>

#include <string>
#include <vector>

extern char** environ;

namespace sqlite_test {

struct WriterProcess {
  pid_t pid = 0;
  int out = -1;  // the read end of the child's stdout; the caller closes it and waits for pid
};

// Starts the writer with `args` after the program name.
inline WriterProcess spawn_crash_writer(std::vector<std::string> args) {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, fds[0]);
  posix_spawn_file_actions_addclose(&actions, fds[1]);
  std::string exe = MAKO_SQLITE_CRASH_WRITER;
  std::vector<char*> argv{exe.data()};
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  REQUIRE(posix_spawn(&pid, exe.c_str(), &actions, nullptr, argv.data(), environ) == 0);
  posix_spawn_file_actions_destroy(&actions);
  ::close(fds[1]);
  return {pid, fds[0]};
}

}  // namespace sqlite_test
