// Replays a fuzz corpus through LLVMFuzzerTestOneInput without libFuzzer (any compiler), so a fuzz
// target is built and its properties checked on every `make test`:
//   edifact_fuzz_replay <file or directory>...   (json_fuzz_replay alike)
// Feeds the target's generated seeds (fuzz_generated_seeds(), defined next to its
// LLVMFuzzerTestOneInput) and then every file given, directories recursively. A failed property
// traps (the test fails); a directory without files is an error, so a lost corpus cannot pass
// unnoticed.
//   json_fuzz_replay --dump-seeds <dir>
// writes the generated seeds into <dir> instead (run.sh starts the fuzzer from them).
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
// Seeds the target makes rather than reads (e.g. the EDIFACT example corpus); defined by each target.
std::vector<std::string> fuzz_generated_seeds();

namespace {

void feed(const std::string& bytes) {
  LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 3 && std::string(argv[1]) == "--dump-seeds") {
    std::size_t n = 0;
    for (const auto& seed : fuzz_generated_seeds()) {
      std::ofstream out(std::filesystem::path(argv[2]) / ("generated_" + std::to_string(n)), std::ios::binary);
      out << seed;
      if (!out) {
        std::fprintf(stderr, "error: cannot write seeds into %s\n", argv[2]);
        return 1;
      }
      ++n;
    }
    std::printf("wrote %zu generated seeds to %s\n", n, argv[2]);
    return 0;
  }
  std::size_t seeds = 0;
  for (const auto& seed : fuzz_generated_seeds()) feed(seed), ++seeds;

  std::size_t files = 0;
  for (int i = 1; i < argc; ++i) {
    const std::filesystem::path arg = argv[i];
    std::vector<std::filesystem::path> paths;
    if (std::filesystem::is_directory(arg)) {
      for (const auto& entry : std::filesystem::recursive_directory_iterator(arg))
        if (entry.is_regular_file()) paths.push_back(entry.path());
      if (paths.empty()) {
        std::fprintf(stderr, "error: no corpus files in %s\n", arg.c_str());
        return 1;
      }
    } else if (std::filesystem::is_regular_file(arg)) {
      paths.push_back(arg);
    } else {
      std::fprintf(stderr, "error: %s is neither a file nor a directory\n", arg.c_str());
      return 1;
    }
    std::sort(paths.begin(), paths.end());  // a stable order: a failure names the same file every time
    for (const auto& path : paths) {
      std::fprintf(stderr, "%s\n", path.c_str());  // the last name printed before a trap is the culprit
      feed(read_file(path));
      ++files;
    }
  }
  std::printf("replayed %zu generated seeds and %zu corpus files\n", seeds, files);
  return 0;
}
