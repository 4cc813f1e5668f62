#pragma once
// Fills a ParsedInterchange's private lists while parse_views() reads (a friend of it and of
// SegmentView). Internal to the EDIFACT parser: included by parser.cpp and lexer.hpp.
#include <string>
#include <string_view>
#include <vector>

#include "mako/domain/edifact/parsed_view.hpp"

namespace mako::edifact {

// Fills a ParsedInterchange's private lists (a friend of it and of SegmentView).
struct ViewBuilder {
  static std::string& decoded(ParsedInterchange& out) { return out.decoded_; }
  static std::vector<detail::ValueSpan>& values(ParsedInterchange& out) { return out.values_; }
  static std::vector<detail::ElementSpan>& elements(ParsedInterchange& out) { return out.elements_; }
  static void begin(ParsedInterchange& out, std::string_view bytes, std::size_t segments);
  static void finish(ParsedInterchange& out);
  static const SegmentView& last(const ParsedInterchange& out) { return out.segments_.back(); }

  static void add_segment(ParsedInterchange& out, std::string_view tag, std::size_t number, std::size_t offset,
                          std::size_t first_element) {
    SegmentView& v = out.segments_.emplace_back();
    v.owner_ = &out;
    v.tag = tag;
    v.number = number;
    v.offset = offset;
    v.first_element_ = first_element;
    v.element_count_ = out.elements_.size() - first_element;
  }
};

}  // namespace mako::edifact
