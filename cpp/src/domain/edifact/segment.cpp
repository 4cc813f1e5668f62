#include "mako/domain/edifact/segment.hpp"

namespace mako::edifact {
namespace {
const std::string kEmpty;
}

const std::string& Segment::value(std::size_t element, std::size_t component) const noexcept {
  if (element >= elements.size() || component >= elements[element].size()) return kEmpty;
  return elements[element][component];
}

bool Segment::has(std::size_t element, std::size_t component) const noexcept {
  return element < elements.size() && component < elements[element].size();
}

bool Segment::is(std::string_view tag_, std::string_view qualifier) const noexcept {
  return tag == tag_ && value(0) == qualifier;
}

}  // namespace mako::edifact
