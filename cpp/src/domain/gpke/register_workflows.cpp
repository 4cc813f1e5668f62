#include "mako/domain/gpke/register_workflows.hpp"

namespace mako::gpke {

namespace {
ExchangeSpec named(ExchangeSpec spec, const char* name) {
  spec.workflow_name = name;
  return spec;
}
Anfrage anfrage(ExchangeSpec spec, const char* name) {
  Anfrage w;
  w.spec = named(std::move(spec), name);
  return w;
}
Beantwortung beantwortung(ExchangeSpec spec, const char* name) {
  Beantwortung w;
  w.spec = named(std::move(spec), name);
  return w;
}
}  // namespace

Anfrage abmeldung_lf() { return anfrage(abmeldung_spec(), workflow_names::kAbmeldungLf); }
Beantwortung abmeldung_nb() { return beantwortung(abmeldung_spec(), workflow_names::kAbmeldungNb); }
Anfrage abmeldung_durch_nb_nb() { return anfrage(abmeldung_durch_nb_spec(), workflow_names::kAbmeldungDurchNbNb); }
Beantwortung abmeldung_durch_nb_lf() {
  return beantwortung(abmeldung_durch_nb_spec(), workflow_names::kAbmeldungDurchNbLf);
}
Anfrage kuendigung_lfn() { return anfrage(kuendigung_spec(), workflow_names::kKuendigungLfn); }
Beantwortung kuendigung_lfa() { return beantwortung(kuendigung_spec(), workflow_names::kKuendigungLfa); }
Beantwortung lieferende_lfa() { return beantwortung(beendigungsanfrage_spec(), workflow_names::kLieferendeLfa); }

std::vector<std::string> workflow_names_list() {
  using namespace workflow_names;
  return {kLieferbeginnNb,     kLieferbeginnLfn,    kLieferendeLfa, kAbmeldungLf,  kAbmeldungNb,
          kAbmeldungDurchNbNb, kAbmeldungDurchNbLf, kKuendigungLfn, kKuendigungLfa};
}

void register_workflows(WorkflowRegistry& registry) {
  using namespace workflow_names;
  registry.add<NbLieferbeginn>(kLieferbeginnNb);
  registry.add<LfnLieferbeginn>(kLieferbeginnLfn);
  registry.add(kLieferendeLfa, lieferende_lfa());
  registry.add(kAbmeldungLf, abmeldung_lf());
  registry.add(kAbmeldungNb, abmeldung_nb());
  registry.add(kAbmeldungDurchNbNb, abmeldung_durch_nb_nb());
  registry.add(kAbmeldungDurchNbLf, abmeldung_durch_nb_lf());
  registry.add(kKuendigungLfn, kuendigung_lfn());
  registry.add(kKuendigungLfa, kuendigung_lfa());
}

}  // namespace mako::gpke
