// Replays a fuzz corpus through LLVMFuzzerTestOneInput without libFuzzer (any compiler), so the fuzz
// target is built and its properties checked on every `make test`:
//   edifact_fuzz_replay <file or directory>...
// Feeds the generated seed corpus (the same seeds run.sh starts the fuzzer from) and then every file
// given, directories recursively. A failed property traps (the test fails); a directory without
// files is an error, so a lost corpus cannot pass unnoticed.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "mako/domain/edifact/corpus.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

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
    namespace corpus = mako::edifact::corpus;
    std::size_t seeds = 0;
    for (const auto& ex : corpus::gpke_examples()) feed(ex.bytes), ++seeds;
    for (const auto& ex : corpus::invalid_examples()) feed(ex.bytes), ++seeds;
    feed(corpus::utilmd_bulk_interchange(20)), ++seeds;

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
