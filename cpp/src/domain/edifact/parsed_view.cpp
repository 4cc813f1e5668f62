#include "mako/domain/edifact/parsed_view.hpp"

namespace mako::edifact {

bool SegmentView::has(std::size_t element, std::size_t component) const noexcept {
  return element < element_count_ && component < owner_->elements_[first_element_ + element].count;
}

std::size_t SegmentView::component_count(std::size_t element) const noexcept {
  return element < element_count_ ? owner_->elements_[first_element_ + element].count : 0;
}

Segment SegmentView::to_segment() const {
  Segment s;
  s.tag = tag;
  s.number = number;
  s.offset = offset;
  for (std::size_t e = 0; e < element_count(); ++e) {
    Element& element = s.elements.emplace_back();
    for (std::size_t c = 0; c < component_count(e); ++c) element.emplace_back(value(e, c));
  }
  return s;
}

void ParsedInterchange::clear() {
  // Field by field, so the strings keep their buffers; equal to `header = Interchange{}`
  // (a test checks it with Interchange's operator==, which compares every field).
  static const Interchange kNew{};
  header.separators = kNew.separators;
  header.has_una = kNew.has_una;
  header.line_break.clear();
  header.syntax_id = kNew.syntax_id;
  header.syntax_version = kNew.syntax_version;
  header.syntax_extra.clear();
  header.sender = kNew.sender;
  header.receiver = kNew.receiver;
  header.date.clear();
  header.time.clear();
  header.reference.clear();
  header.header_extra.clear();
  header.messages.clear();
  messages.clear();
  input_ = {};
  values_.clear();
  elements_.clear();
  segments_.clear();
  decoded_.clear();
}

Interchange ParsedInterchange::to_interchange() const {
  Interchange ic = header;
  for (const MessageView& v : messages) {
    Message& m = ic.messages.emplace_back();
    m.reference = v.reference;
    m.type = v.type;
    m.version = v.version;
    m.release = v.release;
    m.agency = v.agency;
    m.association = v.association;
    m.identifier_extra = v.identifier_extra;
    m.header_extra = v.header_extra;
    m.number = v.number;
    m.offset = v.offset;
    for (const SegmentView& s : v.segments) m.segments.push_back(s.to_segment());
  }
  return ic;
}

}  // namespace mako::edifact
