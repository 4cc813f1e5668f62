"""EDIFACT for the German energy market (EDI@Energy): parse, write, typed views and builders.

Bytes in, bytes out: :func:`parse` takes the interchange as it is on the wire (``bytes``; for
``UNOC`` that is ISO 8859-1, not UTF-8) and :func:`write` returns ``bytes``; inside, every value is
a ``str``. The codec is the C++ one (``mako::edifact``)::

    from mako_engine import edifact

    ic = edifact.parse(data)                    # Interchange
    ic.sender.id, ic.reference, ic.charset      # '9904590000002', 'A000123', 'UNOC'
    for msg in ic.messages:
        print(msg.type, [s.tag for s in msg.segments])
        if msg.type == "UTILMD":
            u = edifact.read_utilmd(msg)        # UtilmdMessage with .transactions
    assert edifact.write(ic) == data            # byte for byte for canonical input

Errors: every syntax or content error raises :class:`ParseError` (an
:class:`~mako_engine.InvalidInput`, hence a ``ValueError``) with ``segment_number`` (1-based, UNB
= 1, UNA not counted), ``byte_offset``, ``segment_tag``, ``expected`` and ``found``. A value that
cannot be written in the declared repertoire raises :class:`WriteError`.

The model is plain dataclasses (:class:`Interchange` → :class:`Message` → :class:`Segment`); build
or change them freely and :func:`write` them. The UNT/UNZ counts are derived, never stored.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
from typing import Any, Dict, List, Mapping, Optional, Sequence, Union

from . import _core
from ._errors import InvalidInput

__all__ = [
    "ParseError",
    "WriteError",
    "Separators",
    "Party",
    "Segment",
    "Message",
    "Interchange",
    "MarketPartner",
    "UtilmdTransaction",
    "UtilmdMessage",
    "AperakError",
    "AperakMessage",
    "ContrlElementError",
    "ContrlSegmentError",
    "ContrlMessageResponse",
    "ContrlMessage",
    "parse",
    "parse_segments",
    "write",
    "validate",
    "make_interchange",
    "read_utilmd",
    "build_utilmd",
    "read_aperak",
    "build_aperak",
    "read_contrl",
    "build_contrl",
    "utilmd_strom_pids",
    "format_of_pid",
    "check_ahb",
    "release_for",
    "corpus",
]


class ParseError(InvalidInput):
    """The input is not a valid EDI@Energy interchange; says where and what.

    ``segment_number``: 1-based within the interchange (UNB = 1; 0 = the UNA or a message built in
    memory); ``byte_offset``: offset of the segment (or offending byte) in the input;
    ``segment_tag``, ``expected``, ``found``: what was read there and what should have been.
    """

    def __init__(
        self,
        message: str = "",
        *,
        segment_number: int = 0,
        byte_offset: int = 0,
        segment_tag: str = "",
        expected: str = "",
        found: str = "",
    ) -> None:
        super().__init__(message)
        self.segment_number = segment_number
        self.byte_offset = byte_offset
        self.segment_tag = segment_tag
        self.expected = expected
        self.found = found

    def __repr__(self) -> str:
        return (
            f"ParseError(segment_number={self.segment_number}, byte_offset={self.byte_offset}, "
            f"segment_tag={self.segment_tag!r}, expected={self.expected!r}, found={self.found!r})"
        )


class WriteError(InvalidInput):
    """A value cannot be written: not representable in the declared repertoire (e.g. '€' in UNOC)."""


# ---- the generic model ---------------------------------------------------------------------------


@dataclasses.dataclass
class Separators:
    """The six service characters (UNA); the defaults are ``:+.? '``."""

    component: str = ":"
    element: str = "+"
    decimal: str = "."
    release: str = "?"
    reserved: str = " "
    segment: str = "'"

    def una(self) -> str:
        """The 9-character UNA service string advice, e.g. ``"UNA:+.? '"``."""
        return "UNA" + self.component + self.element + self.decimal + self.release + self.reserved + self.segment


@dataclasses.dataclass
class Party:
    """UNB interchange sender or recipient: id, qualifier (500 BDEW, 502 DVGW, 14 GS1), routing."""

    id: str
    qualifier: str = "500"
    routing: str = ""


@dataclasses.dataclass
class Segment:
    """A segment: ``tag`` and its data ``elements``, each a list of components (str).

    ``number``/``offset`` say where it was read (0/0 when built); they take no part in equality.
    """

    tag: str
    elements: List[List[str]] = dataclasses.field(default_factory=list)
    number: int = dataclasses.field(default=0, compare=False)
    offset: int = dataclasses.field(default=0, compare=False)

    def value(self, element: int, component: int = 0) -> str:
        """Component ``component`` of element ``element`` (both 0-based), or ``""`` when absent."""
        try:
            return self.elements[element][component]
        except IndexError:
            return ""

    def is_(self, tag: str, qualifier: str) -> bool:
        """Whether the segment has ``tag`` and its first value is ``qualifier`` (``is_("NAD", "MS")``)."""
        return self.tag == tag and self.value(0) == qualifier


@dataclasses.dataclass
class Message:
    """One message (UNH..UNT): header data and the body ``segments`` (UNH and UNT excluded)."""

    reference: str
    type: str
    version: str = "D"
    release: str = ""
    agency: str = "UN"
    association: str = ""
    segments: List[Segment] = dataclasses.field(default_factory=list)
    identifier_extra: List[str] = dataclasses.field(default_factory=list)
    header_extra: List[List[str]] = dataclasses.field(default_factory=list)
    number: int = dataclasses.field(default=0, compare=False)
    offset: int = dataclasses.field(default=0, compare=False)

    @property
    def segment_count(self) -> int:
        """The UNT segment count: body plus UNH and UNT."""
        return len(self.segments) + 2

    def find(self, tag: str, qualifier: Optional[str] = None) -> List[Segment]:
        """The body segments with ``tag`` (and first value ``qualifier`` when given)."""
        return [s for s in self.segments if s.tag == tag and (qualifier is None or s.value(0) == qualifier)]


@dataclasses.dataclass
class Interchange:
    """A whole interchange: UNB envelope data, the messages, and the layout needed to write it back.

    ``date``/``time`` are UNB S004 (YYMMDD / HHMM, UTC); ``charset`` is the syntax identifier
    (``"UNOC"`` = ISO 8859-1 on the wire).
    """

    sender: Party
    receiver: Party
    reference: str
    date: str = ""
    time: str = ""
    messages: List[Message] = dataclasses.field(default_factory=list)
    syntax_id: str = "UNOC"
    syntax_version: str = "3"
    syntax_extra: List[str] = dataclasses.field(default_factory=list)
    header_extra: List[List[str]] = dataclasses.field(default_factory=list)
    separators: Separators = dataclasses.field(default_factory=Separators)
    has_una: bool = True
    line_break: str = ""

    @property
    def charset(self) -> str:
        """The declared repertoire: ``"UNOA"``, ``"UNOB"`` or ``"UNOC"``."""
        return self.syntax_id

    @property
    def prepared_at(self) -> Optional[_dt.datetime]:
        """UNB date and time as an aware UTC datetime (None when they do not read)."""
        try:
            return _dt.datetime.strptime(self.date + self.time, "%y%m%d%H%M").replace(tzinfo=_dt.timezone.utc)
        except ValueError:
            return None


def _segment(d: Mapping[str, Any]) -> Segment:
    return Segment(d["tag"], d["elements"], d["number"], d["offset"])


def _message(d: Mapping[str, Any]) -> Message:
    return Message(
        reference=d["reference"],
        type=d["type"],
        version=d["version"],
        release=d["release"],
        agency=d["agency"],
        association=d["association"],
        segments=[_segment(s) for s in d["segments"]],
        identifier_extra=d["identifier_extra"],
        header_extra=d["header_extra"],
        number=d["number"],
        offset=d["offset"],
    )


def _interchange(d: Mapping[str, Any]) -> Interchange:
    return Interchange(
        sender=Party(**d["sender"]),
        receiver=Party(**d["receiver"]),
        reference=d["reference"],
        date=d["date"],
        time=d["time"],
        messages=[_message(m) for m in d["messages"]],
        syntax_id=d["syntax_id"],
        syntax_version=d["syntax_version"],
        syntax_extra=d["syntax_extra"],
        header_extra=d["header_extra"],
        separators=Separators(**d["separators"]),
        has_una=d["has_una"],
        line_break=d["line_break"],
    )


def _wire(data: Union[bytes, bytearray, memoryview, str]) -> bytes:
    if isinstance(data, str):
        try:
            return data.encode("latin-1")
        except UnicodeEncodeError as e:
            raise WriteError(f"text outside ISO 8859-1 at position {e.start}: pass the wire bytes instead") from None
    if isinstance(data, (bytearray, memoryview)):
        return bytes(data)
    if not isinstance(data, bytes):
        raise TypeError(f"EDIFACT data must be bytes (or str), not {type(data).__name__}")
    return data


def parse(
    data: Union[bytes, str],
    *,
    reject_utf8_in_unoc: bool = True,
    check_market_partners: bool = True,
) -> Interchange:
    """Parses an interchange. ``data``: the wire bytes (a ``str`` is encoded as ISO 8859-1 first).

    Checks the structure (UNB/UNH/UNT/UNZ, counts and references), the repertoire (by default UTF-8
    inside a UNOC file is refused) and that NAD+MS/MR agree with the UNB parties. Raises
    :class:`ParseError`. Content checks of the typed views: :func:`validate`.
    """
    return _interchange(_core.edifact_parse(_wire(data), reject_utf8_in_unoc, check_market_partners))


def parse_segments(data: Union[bytes, str], *, reject_utf8_in_unoc: bool = True) -> List[Segment]:
    """The lexical layer only: every segment in file order (UNA excluded), values unescaped."""
    return [_segment(s) for s in _core.edifact_parse_segments(_wire(data), reject_utf8_in_unoc)]


def write(interchange: Interchange) -> bytes:
    """Serialises an interchange to wire bytes (UNT/UNZ counts recomputed). Byte for byte the input
    of :func:`parse` for canonical files. Raises :class:`WriteError` for unrepresentable values."""
    return _core.edifact_write(interchange)


def validate(interchange: Interchange) -> None:
    """Runs the typed view of every UTILMD/APERAK/CONTRL message and the UNB/NAD check; raises
    :class:`ParseError` on the first problem."""
    _core.edifact_validate(interchange)


@dataclasses.dataclass
class MarketPartner:
    """A market partner as named in NAD: MP-ID and code list (293 BDEW, 332 DVGW, 9 GS1)."""

    id: str
    code_list: str = "293"


def make_interchange(
    sender: Union[MarketPartner, str],
    receiver: Union[MarketPartner, str],
    reference: str,
    prepared_at: _dt.datetime,
    messages: Sequence[Message],
) -> Interchange:
    """Wraps messages in UNA + UNB (UNOC:3; qualifiers from the partners' code lists; date and time
    of ``prepared_at``, an aware datetime) + UNZ. A partner given as a str uses code list 293."""
    return _interchange(_core.edifact_make_interchange(sender, receiver, reference, prepared_at, list(messages)))


# ---- UTILMD --------------------------------------------------------------------------------------


@dataclasses.dataclass
class UtilmdTransaction:
    """One UTILMD transaction (Vorgang, SG4), the fields of ``mako/domain/edifact/utilmd.hpp``:
    IDE+24 ``reference``; DTM+92 ``start``, DTM+93 ``end``, DTM+471 ``end_next_possible``, DTM+Z07
    ``pending_start``, DTM+Z08 ``next_processing``, DTM+206 ``device_removal`` (aware UTC datetimes), DTM+154
    ``request_received_on`` (date: ÜT der Lieferanmeldung des LFN); STS+7 ``reason`` and
    ``reason_supplement`` (Transaktionsgrund and -ergänzung, e.g. E03 / ZW4); STS+E01
    ``answer_code`` with its EBD ``answer_code_list``; STS+Z35 ``third_party_answer_code`` /
    ``third_party_answer_code_list``; FTX ``remark``; LOC+Z16 ``malo_id``; RFF+Z13 ``pid``; RFF+TN
    ``referenced_transaction``; RFF+Z60 ``planned_product_package``; SG8 ``product_code``,
    ``malo_info``, ``annual_consumption_kwh``, ``household``, ``enfg``; SG12 ``customer`` /
    ``correspondence`` (dicts: name, company, street, postcode, city, country) and
    ``other_party`` (a :class:`MarketPartner` dict); ``other_segments``: segments read but not
    modelled (``"TAG+QUALIFIER"``). Which of them a PID must or must not carry: :func:`check_ahb`."""

    reference: str
    pid: str
    malo_id: str
    start: Optional[_dt.datetime] = None
    reason: str = ""
    answer_code: Optional[str] = None
    referenced_transaction: Optional[str] = None
    reason_supplement: str = ""
    end: Optional[_dt.datetime] = None
    end_next_possible: Optional[_dt.datetime] = None
    request_received_on: Optional[_dt.date] = None
    pending_start: Optional[_dt.datetime] = None
    next_processing: Optional[_dt.datetime] = None
    device_removal: Optional[_dt.datetime] = None
    answer_code_list: str = ""
    third_party_answer_code: Optional[str] = None
    third_party_answer_code_list: str = ""
    remark: Optional[str] = None
    planned_product_package: Optional[str] = None
    product_code: Optional[str] = None
    malo_info: bool = False
    annual_consumption_kwh: Optional[str] = None
    household: Optional[bool] = None
    enfg: Optional[str] = None
    customer: Optional[Dict[str, Any]] = None
    correspondence: Optional[Dict[str, Any]] = None
    other_party: Optional[Dict[str, str]] = None
    other_segments: List[str] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class UtilmdMessage:
    """A UTILMD Strom message (GPKE subset): header data, NAD+MS/MR and the transactions."""

    reference: str
    message_date: _dt.datetime
    sender: MarketPartner
    receiver: MarketPartner
    transactions: List[UtilmdTransaction] = dataclasses.field(default_factory=list)
    document_number: str = ""
    document_code: str = "E01"
    association: str = "S2.1"


def _partner(d: Mapping[str, Any]) -> MarketPartner:
    return MarketPartner(d["id"], d["code_list"])


def read_utilmd(message: Message) -> UtilmdMessage:
    """The typed view of a UTILMD message; raises :class:`ParseError` (missing BGM/DTM/NAD, PID in
    the wrong place, unknown PID, malformed dates ...)."""
    d = _core.edifact_read_utilmd(message)
    return UtilmdMessage(
        reference=d["reference"],
        message_date=d["message_date"],
        sender=_partner(d["sender"]),
        receiver=_partner(d["receiver"]),
        transactions=[UtilmdTransaction(**t) for t in d["transactions"]],
        document_number=d["document_number"],
        document_code=d["document_code"],
        association=d["association"],
    )


def build_utilmd(utilmd: UtilmdMessage) -> Message:
    """The :class:`Message` of a typed UTILMD (not validated, so invalid ones can be built on purpose)."""
    return _message(_core.edifact_build_utilmd(utilmd))


# ---- APERAK --------------------------------------------------------------------------------------


@dataclasses.dataclass
class AperakError:
    """One error (SG4 ERC) of an APERAK.

    ``code`` is an ERC code of the APERAK AHB (``"Z31"``: the receiver does not process this
    Prüfidentifikator, ``"Z33"``: the referenced Vorgang is unknown, ``"Z29"``: required
    information missing, ...). ``faulty_value`` goes to FTX+ABO (the value at fault), ``text``
    to FTX+AAO (the description), ``location`` to FTX+Z02 (the segment, written for the AHB
    codes Z21 Z29 Z35 Z38 Z39 Z40 Z41). Texts longer than 512 characters are cut.
    """

    code: str
    faulty_value: Optional[str] = None
    text: Optional[str] = None
    location: Optional[str] = None


@dataclasses.dataclass
class AperakMessage:
    """An APERAK (processability of one Geschäftsvorfall): ``positive`` = BGM+312, else BGM+313
    with ``errors``.

    ``referenced_document`` / ``referenced_date`` name the acknowledged message (its BGM number
    and DTM+137: RFF+ACE, RFF+AGO, DTM+171), ``referenced_message`` its UNH reference (RFF+ACW in
    release 2.1i), ``transaction_ref`` the Vorgang (RFF+TN). ``association`` is the MIG release
    (``"2.1i"`` up to FV2604, ``"2.2"`` from FV2610); left empty, :func:`build_aperak` takes the
    release in force at ``message_date``.
    """

    reference: str
    message_date: _dt.datetime
    sender: MarketPartner
    receiver: MarketPartner
    referenced_document: str
    referenced_date: _dt.datetime
    positive: bool = False
    document_number: str = ""
    referenced_message: Optional[str] = None
    transaction_ref: Optional[str] = None
    errors: List[AperakError] = dataclasses.field(default_factory=list)
    association: str = ""


def read_aperak(message: Message) -> AperakMessage:
    """The typed view of an APERAK message (release 2.1i or 2.2); raises :class:`ParseError`,
    also for any other release."""
    d = _core.edifact_read_aperak(message)
    return AperakMessage(
        reference=d["reference"],
        message_date=d["message_date"],
        sender=_partner(d["sender"]),
        receiver=_partner(d["receiver"]),
        referenced_document=d["referenced_document"],
        referenced_date=d["referenced_date"],
        positive=d["positive"],
        document_number=d["document_number"],
        referenced_message=d["referenced_message"],
        transaction_ref=d["transaction_ref"],
        errors=[AperakError(**e) for e in d["errors"]],
        association=d["association"],
    )


def build_aperak(aperak: AperakMessage) -> Message:
    """The :class:`Message` of a typed APERAK, in the layout of its release; raises ValueError
    for what the MIG does not admit (unknown ERC code, errors on a positive APERAK, a release
    other than 2.1i/2.2, no release in force at the message date)."""
    return _message(_core.edifact_build_aperak(aperak))


# ---- CONTRL --------------------------------------------------------------------------------------


@dataclasses.dataclass
class ContrlElementError:
    """UCD: an element error."""

    error_code: str
    element_position: str
    component_position: str = ""


@dataclasses.dataclass
class ContrlSegmentError:
    """UCS: a segment error with its UCDs."""

    segment_position: str
    error_code: str = ""
    element_errors: List[ContrlElementError] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class ContrlMessageResponse:
    """UCM: the response to one message of the acknowledged interchange."""

    message_reference: str
    message_type: str
    version: str = "D"
    release: str = ""
    agency: str = "UN"
    association: str = ""
    action: str = "7"
    error_code: str = ""
    service_segment: str = ""
    segment_errors: List[ContrlSegmentError] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class ContrlMessage:
    """A CONTRL (syntax acknowledgement): UCI ``action`` 7 accepted / 4 rejected, plus UCM/UCS/UCD.

    A rejection names its fault with a UN/EDIFACT syntax error code (DE0085) at its level: the
    interchange (``error_code`` and ``service_segment`` UNA/UNB/UNZ), a message (UCM
    ``error_code`` and ``service_segment`` UNH/UNT) or a segment (UCS position, UCD element).
    """

    reference: str
    interchange_reference: str
    interchange_sender: Party
    interchange_receiver: Party
    action: str = "7"
    error_code: Optional[str] = None
    service_segment: Optional[str] = None
    messages: List[ContrlMessageResponse] = dataclasses.field(default_factory=list)
    association: str = "2.0b"

    @property
    def accepted(self) -> bool:
        """Whether the interchange was accepted (action 7)."""
        return self.action == "7"


def read_contrl(message: Message) -> ContrlMessage:
    """The typed view of a CONTRL message; raises :class:`ParseError`."""
    d = _core.edifact_read_contrl(message)
    return ContrlMessage(
        reference=d["reference"],
        interchange_reference=d["interchange_reference"],
        interchange_sender=Party(**d["interchange_sender"]),
        interchange_receiver=Party(**d["interchange_receiver"]),
        action=d["action"],
        error_code=d["error_code"],
        service_segment=d["service_segment"],
        messages=[
            ContrlMessageResponse(
                **{k: v for k, v in m.items() if k != "segment_errors"},
                segment_errors=[
                    ContrlSegmentError(
                        s["segment_position"], s["error_code"], [ContrlElementError(**e) for e in s["element_errors"]]
                    )
                    for s in m["segment_errors"]
                ],
            )
            for m in d["messages"]
        ],
        association=d["association"],
    )


def build_contrl(contrl: ContrlMessage) -> Message:
    """The :class:`Message` of a typed CONTRL."""
    return _message(_core.edifact_build_contrl(contrl))


# ---- PIDs and corpus -----------------------------------------------------------------------------


def check_ahb(raw: Union[bytes, bytearray, memoryview, str]) -> List[Dict[str, str]]:
    """Checks every UTILMD message of an interchange against the AHB Prüfschablone of each
    transaction's PID in the message's MIG release (the rules the inbound pipeline applies before
    any command runs). Returns the violations (dicts with ``pid``, ``transaction``, ``segment``,
    ``field`` (AHB name), ``problem``, ``text``); ``[]`` when the message conforms. Raises
    :class:`ParseError` for input that is not even syntactically a UTILMD."""
    return list(_core.edifact_check_utilmd_ahb(_wire(raw)))


def release_for(message_type: str, message_date: _dt.datetime) -> Optional[str]:
    """The MIG release of ``message_type`` ('UTILMD', 'APERAK', 'CONTRL') in force for a message
    dated ``message_date`` (the FV table), e.g. 'S2.1' or 'S2.2'; None before the first supported FV."""
    return _core.edifact_release_for(message_type, message_date)


def utilmd_strom_pids() -> List[Dict[str, str]]:
    """The known UTILMD Strom PIDs of the GPKE family: dicts with pid, name, direction, answer_to."""
    return list(_core.edifact_utilmd_strom_pids())


def format_of_pid(pid: str) -> Optional[str]:
    """The EDIFACT message type of a PID by its prefix (``"55001"`` → ``"UTILMD"``), or None."""
    return _core.edifact_format_of_pid(pid)


class _Corpus:
    """The generated EDIFACT corpus (built with this library's builders) for tests and demos."""

    @property
    def ids(self) -> Dict[str, str]:
        """The market partners and MaLo-IDs the corpus uses: nb, lfn, lfa, malo_a, malo_b."""
        return dict(_core.EDIFACT_CORPUS_IDS)

    def gpke_examples(self, message_date: Optional[_dt.datetime] = None) -> List[Dict[str, Any]]:
        """One valid interchange per GPKE step (complete per the AHB of its PID), APERAK/CONTRL and
        layout variants: dicts with ``name``, ``description`` and ``bytes``. ``message_date`` (aware
        datetime, default 2026-03-02 10:00 UTC) dates them and so selects the MIG release, e.g. a
        date from 2026-10-01 for UTILMD S2.2."""
        return list(_core.edifact_corpus_gpke_examples(message_date))

    def invalid_examples(self) -> List[Dict[str, Any]]:
        """Broken interchanges with the error location they must produce (``segment_number``,
        ``byte_offset``, ``segment_tag``; ``fails_in_parse`` False = only :func:`validate` fails)."""
        return list(_core.edifact_corpus_invalid_examples())

    def utilmd_bulk_interchange(self, message_count: int) -> bytes:
        """A UTILMD interchange with ``message_count`` 55001 messages (benchmarks)."""
        return _core.edifact_corpus_utilmd_bulk(message_count)


#: The generated corpus: ``corpus.gpke_examples()``, ``corpus.invalid_examples()``, ``corpus.ids``.
corpus = _Corpus()
