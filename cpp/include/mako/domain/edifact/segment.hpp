#pragma once
// Generic segment-level model: a tag and its data elements, each a list of components.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace mako::edifact {

/// One data element: its components in order (a simple element has exactly one component).
/// Values are unescaped UTF-8 text; they are never interpreted here.
using Element = std::vector<std::string>;

struct Segment {
  std::string tag;                ///< e.g. "NAD"
  std::vector<Element> elements;  ///< data elements after the tag, in order
  /// Where the segment was read (1-based segment number in the interchange, byte offset of its
  /// first byte). 0/0 for segments built in memory. Not part of equality.
  std::size_t number = 0;
  std::size_t offset = 0;

  Segment() = default;
  Segment(std::string tag_, std::vector<Element> elements_) : tag(std::move(tag_)), elements(std::move(elements_)) {}

  /// Component `component` of element `element` (both 0-based; element 0 is the first after
  /// the tag), or an empty string when absent.
  [[nodiscard]] const std::string& value(std::size_t element, std::size_t component = 0) const noexcept;
  [[nodiscard]] bool has(std::size_t element, std::size_t component = 0) const noexcept;
  /// Number of data elements / of components of element `element` (0 when absent).
  [[nodiscard]] std::size_t element_count() const noexcept { return elements.size(); }
  [[nodiscard]] std::size_t component_count(std::size_t element) const noexcept {
    return element < elements.size() ? elements[element].size() : 0;
  }
  /// True when the segment has tag `tag_` and element 0 component 0 equals `qualifier`
  /// (e.g. is("NAD", "MS")).
  [[nodiscard]] bool is(std::string_view tag_, std::string_view qualifier) const noexcept;

  friend bool operator==(const Segment& a, const Segment& b) { return a.tag == b.tag && a.elements == b.elements; }
};

}  // namespace mako::edifact
