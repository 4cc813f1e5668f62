#pragma once
// Fresh database paths under $MAKO_TEST_TMP (or the system temp dir) for the SQLite suites.
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <string>

#include <unistd.h>

namespace sqlite_test {

inline std::filesystem::path temp_dir() {
  const char* env = std::getenv("MAKO_TEST_TMP");
  std::filesystem::path dir = env && *env ? env : (std::filesystem::temp_directory_path() / "mako-test");
  dir /= "sqlite";
  std::filesystem::create_directories(dir);
  return dir;
}

// A path no other test (or concurrently running ctest process) uses; removes leftovers of a
// previous run with the same name, including the WAL and shared-memory files.
inline std::string fresh_db(const std::string& name) {
  static std::atomic<int> counter{0};
  auto path = temp_dir() / (name + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + ".db");
  for (auto suffix : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(path.string() + suffix);
  return path.string();
}

}  // namespace sqlite_test
