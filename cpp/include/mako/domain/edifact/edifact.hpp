#pragma once
// Umbrella header for the EDI@Energy EDIFACT codec (namespace mako::edifact).
//
// Layers
//   parse_segments()  generic lexical layer: Segment{tag, elements -> components}, values unescaped
//                     UTF-8; honours UNA, the release character, CR/LF between segments, charsets.
//   parse()           structural layer: Interchange{UNB fields, messages, ...}, Message{UNH fields,
//                     body segments}; checks UNT/UNZ counts and references and (optionally) that
//                     NAD+MS/NAD+MR agree with UNB sender/recipient.
//   read_utilmd / read_aperak / read_contrl   typed views with content validation.
//   build_utilmd / build_aperak / build_contrl + make_interchange + write()   builders and writer.
//   corpus::gpke_examples() / invalid_examples() / utilmd_bulk_interchange()  generated corpus.
//
// Documented choices
//   * Errors: ParseError (segment number 1-based with UNB = 1 and UNA uncounted, byte offset,
//     tag, expected, found). WriteError when a value cannot be represented on the wire.
//   * Charsets: see charset.hpp. UTF-8 inside a UNOC file is rejected with a specific error by
//     default (ParseOptions::reject_utf8_in_unoc).
//   * Round trip: see writer.hpp. Byte-exact for canonical input and for everything write()
//     produced; the line style after the first segment is applied to all segments.
//   * Instants: std::chrono::sys_seconds in UTC; DTM 303 with +00 on output (datetime.hpp).
//   * The model owns its data (std::string values); the lexer copies each component once, and
//     only takes a slow path for components with release characters or Latin-1 bytes.
#include "mako/domain/edifact/ahb_check.hpp"
#include "mako/domain/edifact/aperak.hpp"
#include "mako/domain/edifact/charset.hpp"
#include "mako/domain/edifact/contrl.hpp"
#include "mako/domain/edifact/corpus.hpp"
#include "mako/domain/edifact/datetime.hpp"
#include "mako/domain/edifact/envelope.hpp"
#include "mako/domain/edifact/interchange.hpp"
#include "mako/domain/edifact/market_partner.hpp"
#include "mako/domain/edifact/message_release.hpp"
#include "mako/domain/edifact/parse_error.hpp"
#include "mako/domain/edifact/parser.hpp"
#include "mako/domain/edifact/pid.hpp"
#include "mako/domain/edifact/segment.hpp"
#include "mako/domain/edifact/separators.hpp"
#include "mako/domain/edifact/utilmd.hpp"
#include "mako/domain/edifact/utilmd_rules.hpp"
#include "mako/domain/edifact/validation.hpp"
#include "mako/domain/edifact/writer.hpp"
