#include "mako/domain/gpke/exchange_spec.hpp"

#include "mako/domain/gpke/deadlines.hpp"

namespace mako::gpke {

const calendar::GpkeAnswerDeadline& ExchangeSpec::row() const { return answer_row(request_pid, positive_pid); }

ExchangeSpec abmeldung_spec() { return {"", 55004, 55005, 55006, {}, "Abmeldung LF->NB"}; }
ExchangeSpec abmeldung_durch_nb_spec() { return {"", 55007, 55008, 55009, {}, "Abmeldung NB->LF"}; }
ExchangeSpec kuendigung_spec() { return {"", 55016, 55017, 55018, {}, "Kuendigung LFN->LFA"}; }
ExchangeSpec beendigungsanfrage_spec() { return {"", 55010, 55011, 55012, {55037}, "Anfrage zur Beendigung NB->LFA"}; }

}  // namespace mako::gpke
