#include "mako/domain/edifact/writer.hpp"

#include <array>

namespace mako::edifact {
namespace {

using ByteTable = std::array<bool, 256>;

const ByteTable& allowed_bytes(Charset charset) {
    static const auto make = [](Charset cs) {
        ByteTable t{};
        for (unsigned b = 0; b < 256; ++b) t[b] = is_allowed_byte(cs, static_cast<unsigned char>(b));
        return t;
    };
    static const ByteTable unoa = make(Charset::UNOA), unob = make(Charset::UNOB), unoc = make(Charset::UNOC);
    return charset == Charset::UNOA ? unoa : charset == Charset::UNOB ? unob : unoc;
}

[[noreturn]] void unwritable(const std::string& value, Charset charset, std::size_t at) {
    throw WriteError("cannot write value '" + value + "' in " + std::string(to_string(charset)) +
                     ": unsupported character at byte " + std::to_string(at));
}

// What write_value does with each byte of a value, for one set of separators and a charset.
enum ByteAction : unsigned char { kCopy, kRelease, kUtf8, kRefuse };
using ActionTable = std::array<ByteAction, 256>;

const ActionTable& actions_for(const Separators& s, Charset charset) {
    // One table per thread, rebuilt only when the separators or the charset change (rarely: an
    // engine writes everything with the same ones).
    thread_local ActionTable table{};
    thread_local Separators table_seps{};
    thread_local int table_charset = -1;
    if (table_charset == static_cast<int>(charset) && table_seps == s) return table;
    const ByteTable& allowed = allowed_bytes(charset);
    for (unsigned b = 0; b < 256; ++b) {
        const char ch = static_cast<char>(b);
        table[b] = s.needs_release(ch) ? kRelease : b >= 0x80 ? kUtf8 : allowed[b] ? kCopy : kRefuse;
    }
    table_seps = s;
    table_charset = static_cast<int>(charset);
    return table;
}

// UTF-8 -> wire repertoire, escaping separators. A separator is always writable (escaped), even
// when an exotic UNA made it a character outside the repertoire; the parser accepts it the same way.
// Runs of plain bytes are copied at once.
void write_value(std::string& out, const std::string& value, const Separators& s, Charset charset) {
    const ActionTable& action = actions_for(s, charset);
    std::size_t run = 0;
    for (std::size_t i = 0; i < value.size();) {
        auto c = static_cast<unsigned char>(value[i]);
        const ByteAction a = action[c];
        if (a == kCopy) {
            ++i;
            continue;
        }
        out.append(value, run, i - run);
        if (a == kUtf8) {
            if (utf8_sequence_length(value, i) != 2) unwritable(value, charset, i);
            const unsigned code = ((c & 0x1Fu) << 6) | (static_cast<unsigned char>(value[i + 1]) & 0x3Fu);
            if (code > 0xFF || charset != Charset::UNOC) unwritable(value, charset, i);
            c = static_cast<unsigned char>(code);
            i += 2;
            // The Latin-1 byte it stands for may itself be a separator or outside the repertoire.
            const char ch = static_cast<char>(c);
            if (s.needs_release(ch)) out.push_back(s.release);
            else if (!allowed_bytes(charset)[c]) unwritable(value, charset, i - 1);
            out.push_back(ch);
        } else if (a == kRelease) {
            out.push_back(s.release);
            out.push_back(static_cast<char>(c));
            ++i;
        } else {
            unwritable(value, charset, i);
        }
        run = i;
    }
    out.append(value, run, std::string::npos);
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
