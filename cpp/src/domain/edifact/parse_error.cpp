#include "mako/domain/edifact/parse_error.hpp"

namespace mako::edifact {
namespace {

std::string render(std::size_t segment_number, std::size_t byte_offset, const std::string& tag,
                   const std::string& expected, const std::string& found) {
  std::string s = "EDIFACT parse error at segment " + std::to_string(segment_number);
  s += " (" + (tag.empty() ? std::string{"<none>"} : tag) + ")";
  s += ", byte offset " + std::to_string(byte_offset);
  s += ": expected " + expected + ", found " + found;
  return s;
}

}  // namespace

ParseError::ParseError(std::size_t segment_number, std::size_t byte_offset, std::string segment_tag,
                       std::string expected, std::string found)
    : std::runtime_error(render(segment_number, byte_offset, segment_tag, expected, found)),
      segment_number_(segment_number),
      byte_offset_(byte_offset),
      segment_tag_(std::move(segment_tag)),
      expected_(std::move(expected)),
      found_(std::move(found)) {}

}  // namespace mako::edifact
