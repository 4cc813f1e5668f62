// Writes the generated corpus (valid and invalid examples) as seed files into a directory.
// Usage: edifact_dump_corpus <dir>
#include <cstdio>
#include <fstream>
#include <string>

#include "mako/domain/edifact/corpus.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <dir>\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[1];
  std::size_t n = 0;
  auto dump = [&](const std::string& name, const std::string& bytes) {
    std::ofstream out(dir + "/" + name + ".edi", std::ios::binary);
    out << bytes;
    n += out ? 1 : 0;
  };
  for (const auto& ex : mako::edifact::corpus::gpke_examples()) dump(ex.name, ex.bytes);
  for (const auto& ex : mako::edifact::corpus::invalid_examples()) dump("invalid_" + ex.name, ex.bytes);
  dump("bulk_20", mako::edifact::corpus::utilmd_bulk_interchange(20));
  std::printf("wrote %zu seed files to %s\n", n, dir.c_str());
  return 0;
}
