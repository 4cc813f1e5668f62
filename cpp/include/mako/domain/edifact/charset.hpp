#pragma once
// Character repertoires declared in UNB S001 (syntax identifier) and the transcoding at the
// boundary: the in-memory model is always UTF-8, the wire is the declared repertoire.
//
// Policy (documented choice):
//  * UNOA: ISO 9735 level A only (A-Z, 0-9, space and . , - ( ) / = ' + : ? ! " % & * ; < >).
//    Lower-case letters, other bytes and control characters are errors.
//  * UNOB: ISO 9735 level B, treated as printable 7-bit ASCII (0x20-0x7E). Anything else is an error.
//  * UNOC: ISO 8859-1. Printable bytes 0x20-0x7E and 0xA0-0xFF are accepted and transcoded to
//    UTF-8. C0/C1 control bytes (0x00-0x1F, 0x7F-0x9F) are errors. A byte run that forms a valid
//    multi-byte UTF-8 sequence (e.g. C3 BC, "ü" mis-encoded) is technically legal Latin-1 but is
//    almost certainly a sender that wrote UTF-8: by default it is rejected with a specific
//    "looks like UTF-8" error (ParseOptions::reject_utf8_in_unoc=false accepts it as Latin-1,
//    which yields mojibake such as "Ã¼").
// CR/LF *between* segments is layout, not data, and is accepted for every repertoire.
#include <optional>
#include <string>
#include <string_view>

namespace mako::edifact {

enum class Charset { UNOA, UNOB, UNOC };

/// Maps a syntax identifier ("UNOA", "UNOB", "UNOC") to the charset; nullopt for others.
[[nodiscard]] std::optional<Charset> charset_from_syntax_id(std::string_view syntax_id) noexcept;
[[nodiscard]] std::string_view to_string(Charset charset) noexcept;

/// True when the wire byte is a legal data byte in `charset` (before any transcoding).
[[nodiscard]] bool is_allowed_byte(Charset charset, unsigned char byte) noexcept;

/// Length of a valid UTF-8 multi-byte sequence starting at `pos` (2..4), or 0 if there is none.
[[nodiscard]] std::size_t utf8_sequence_length(std::string_view bytes, std::size_t pos) noexcept;

/// Appends the Latin-1 bytes as UTF-8 to `out`.
void append_latin1_as_utf8(std::string_view latin1, std::string& out);

/// Converts one UTF-8 string into the wire repertoire. Returns nullopt plus the offending
/// character offset in `error_offset` when the text cannot be represented.
[[nodiscard]] std::optional<std::string> encode_utf8(Charset charset, std::string_view utf8,
                                                     std::size_t* error_offset = nullptr);

}  // namespace mako::edifact
