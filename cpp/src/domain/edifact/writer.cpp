#include "mako/domain/edifact/writer.hpp"

namespace mako::edifact {
namespace {

void write_value(std::string& out, const std::string& value, const Separators& s, Charset charset) {
    // Fast path: plain allowed 7-bit text needs no transcoding.
    bool plain = true;
    for (char ch : value) {
        const auto c = static_cast<unsigned char>(ch);
        if (c >= 0x80 || !is_allowed_byte(charset, c)) {
            plain = false;
            break;
        }
    }
    std::string encoded_storage;
    const std::string* wire = &value;
    if (!plain) {
        std::size_t bad = 0;
        auto encoded = encode_utf8(charset, value, &bad);
        if (!encoded)
            throw WriteError("cannot write value '" + value + "' in " + std::string(to_string(charset)) +
                             ": unsupported character at byte " + std::to_string(bad));
        encoded_storage = std::move(*encoded);
        wire = &encoded_storage;
    }
    for (char c : *wire) {
        if (s.needs_release(c)) out.push_back(s.release);
        out.push_back(c);
    }
}

Charset charset_of(const Interchange& ic) {
    const auto cs = charset_from_syntax_id(ic.syntax_id);
    if (!cs) throw WriteError("unknown syntax identifier '" + ic.syntax_id + "' (expected UNOA, UNOB or UNOC)");
    return *cs;
}

Element party_element(const Party& p) {
    Element e{p.id, p.qualifier};
    if (!p.routing.empty()) e.push_back(p.routing);
    return e;
}

}  // namespace

void write_segment(std::string& out, const Segment& segment, const Separators& s, Charset charset) {
    out += segment.tag;
    for (const Element& element : segment.elements) {
        out.push_back(s.element);
        for (std::size_t c = 0; c < element.size(); ++c) {
            if (c) out.push_back(s.component);
            write_value(out, element[c], s, charset);
        }
    }
    out.push_back(s.segment);
}

std::string write(const Interchange& ic) {
    const Charset charset = charset_of(ic);
    const Separators& s = ic.separators;
    std::string out;
    std::size_t estimate = 256;
    for (const auto& m : ic.messages) estimate += 64 + m.segments.size() * 40;
    out.reserve(estimate);
    auto put = [&](const Segment& seg) {
        write_segment(out, seg, s, charset);
        out += ic.line_break;
    };

    if (ic.has_una) {
        out += s.una();
        out += ic.line_break;
    }
    Element s001{ic.syntax_id, ic.syntax_version};
    s001.insert(s001.end(), ic.syntax_extra.begin(), ic.syntax_extra.end());
    Segment unb("UNB", {std::move(s001), party_element(ic.sender), party_element(ic.receiver),
                        Element{ic.date, ic.time}, Element{ic.reference}});
    unb.elements.insert(unb.elements.end(), ic.header_extra.begin(), ic.header_extra.end());
    put(unb);

    for (const Message& m : ic.messages) {
        Element s009{m.type, m.version, m.release, m.agency, m.association};
        if (m.identifier_extra.empty()) {
            // Omit trailing empty components (e.g. no association code) as ISO 9735 requires.
            while (s009.size() > 1 && s009.back().empty()) s009.pop_back();
        } else {
            s009.insert(s009.end(), m.identifier_extra.begin(), m.identifier_extra.end());
        }
        Segment unh("UNH", {Element{m.reference}, std::move(s009)});
        unh.elements.insert(unh.elements.end(), m.header_extra.begin(), m.header_extra.end());
        put(unh);
        for (const Segment& seg : m.segments) put(seg);
        put(Segment("UNT", {Element{std::to_string(m.segment_count())}, Element{m.reference}}));
    }
    put(Segment("UNZ", {Element{std::to_string(ic.messages.size())}, Element{ic.reference}}));
    return out;
}

}  // namespace mako::edifact
