// DirectoryTransport: files appear whole under their final name (temp name, fsync, rename), and a
// write that cannot be made throws -- so the outbox does not mark the message delivered.
#include <catch2/catch.hpp>

#include <unistd.h>
#include <filesystem>
#include <fstream>

#include "mako/domain/market/directory_transport.hpp"

namespace fs = std::filesystem;
using mako::market::DirectoryTransport;
using mako::market::FileSync;

namespace {

fs::path fresh_dir(const std::string& name) {
  const char* env = std::getenv("MAKO_TEST_TMP");
  fs::path dir = (env && *env ? fs::path(env) : fs::temp_directory_path() / "mako-test") / "transport" /
                 (name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  return dir;
}

std::size_t files_in(const fs::path& dir) {
  std::size_t n = 0;
  for (const auto& e : fs::directory_iterator(dir)) n += e.is_regular_file() ? 1 : 0;
  return n;
}

}  // namespace

TEST_CASE("directory transport: a sent file is complete under its name, no temp file stays behind",
          "[market][transport]") {
  for (auto sync : {FileSync::Durable, FileSync::None}) {
    const auto root = fresh_dir(sync == FileSync::Durable ? "durable" : "nosync");
    DirectoryTransport transport(root, sync);
    const std::string bytes(100000, 'x');
    transport.send("9904590000002", bytes, "answer.edi");
    const auto out = transport.outbox("9904590000002");
    CHECK(mako::market::read_file_bytes(out / "answer.edi") == bytes);
    CHECK(files_in(out) == 1);  // no answer.edi.tmp
  }
}

TEST_CASE("directory transport: a file that cannot be written throws and leaves nothing behind",
          "[market][transport]") {
  const auto root = fresh_dir("blocked");
  DirectoryTransport transport(root);
  std::ofstream(root / "9904590000002") << "a file where the partner's folder belongs";
  CHECK_THROWS(transport.send("9904590000002", "UNA", "answer.edi"));
  fs::create_directories(root / "9910960000001" / "outbox" / "answer.edi");  // a folder in the way of the rename
  CHECK_THROWS(transport.send("9910960000001", "UNA", "answer.edi"));
  CHECK(files_in(root / "9910960000001" / "outbox") == 0);  // the temp file was removed
}
