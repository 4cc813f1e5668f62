"""The GPKE event type names, spelled once for the Python side.

They are the ``kType`` of the event structs in ``cpp/include/mako/domain/gpke/`` (the C++ module does
not export them); the analysis modules (deadlines, process mining, timeline colours) and the
synthetic history use these constants instead of string literals.
"""

from __future__ import annotations

# the step log (step_log.hpp): every outbound UTILMD, and a watchdog that fired on an open answer
MESSAGE_SENT = "MessageSent"
ANSWER_DEADLINE_MISSED = "AnswerDeadlineMissed"

# the NB's Lieferbeginn (nb_lieferbeginn.hpp)
ANMELDUNG_RECEIVED = "AnmeldungReceived"
ANMELDUNG_REJECTED = "AnmeldungRejected"
ANMELDUNG_CONFIRMED = "AnmeldungConfirmed"
BEENDIGUNG_ANGEFRAGT = "BeendigungAngefragt"
LFA_ANSWER_RECEIVED = "LfaAnswerReceived"
LATE_LFA_ANSWER_IGNORED = "LateLfaAnswerIgnored"
LFA_REJECTION_DISREGARDED = "LfaRejectionDisregarded"
LFA_ANSWER_WINDOW_CLOSED = "LfaAnswerWindowClosed"

# the LFN's Lieferbeginn (lfn_lieferbeginn.hpp)
ANMELDUNG_SENT = "AnmeldungSent"
EXISTING_ASSIGNMENT_INFORMED = "ExistingAssignmentInformed"
NB_CONFIRMED = "NbConfirmed"
NB_REJECTED = "NbRejected"

# a request and its answer, sending side (anfrage.hpp)
REQUEST_SENT = "RequestSent"
ANSWER_RECEIVED = "AnswerReceived"
LATE_ANSWER_IGNORED = "LateAnswerIgnored"
SILENCE_COUNTED_AS_CONSENT = "SilenceCountedAsConsent"

# a request and its answer, answering side (beantwortung.hpp)
REQUEST_RECEIVED = "RequestReceived"
ANSWERED = "Answered"
FOLLOW_UP_RECEIVED = "FollowUpReceived"

#: Every GPKE event type, in the order above.
GPKE_EVENT_TYPES = (
    MESSAGE_SENT, ANSWER_DEADLINE_MISSED,
    ANMELDUNG_RECEIVED, ANMELDUNG_REJECTED, ANMELDUNG_CONFIRMED, BEENDIGUNG_ANGEFRAGT, LFA_ANSWER_RECEIVED,
    LATE_LFA_ANSWER_IGNORED, LFA_REJECTION_DISREGARDED, LFA_ANSWER_WINDOW_CLOSED,
    ANMELDUNG_SENT, EXISTING_ASSIGNMENT_INFORMED, NB_CONFIRMED, NB_REJECTED,
    REQUEST_SENT, ANSWER_RECEIVED, LATE_ANSWER_IGNORED, SILENCE_COUNTED_AS_CONSENT,
    REQUEST_RECEIVED, ANSWERED, FOLLOW_UP_RECEIVED,
)
