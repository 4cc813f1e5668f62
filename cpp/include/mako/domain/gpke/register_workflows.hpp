#pragma once
// The GPKE workflows by name (docs/mako-domain.md: supplier switch after LFW24 and related use cases):
//   gpke.lieferbeginn.nb          NbLieferbeginn   NB: 55001 -> 55036/55010 -> 55011/55012 -> 55002/55003, 55037
//   gpke.lieferbeginn.lfn         LfnLieferbeginn  LFN: sends 55001, receives 55036 / 55002 / 55003
//   gpke.lieferende.lfa           Beantwortung     LFA: receives 55010, answers 55011 / 55012, receives 55037
//   gpke.abmeldung.lf             Anfrage          LF: sends 55004, receives 55005 / 55006
//   gpke.abmeldung.nb             Beantwortung     NB: receives 55004, answers 55005 / 55006
//   gpke.abmeldung_durch_nb.nb    Anfrage          NB: sends 55007, receives 55008 / 55009 (silence = consent)
//   gpke.abmeldung_durch_nb.lf    Beantwortung     LF: receives 55007, answers 55008 / 55009
//   gpke.kuendigung.lfn           Anfrage          LFN: sends 55016, receives 55017 / 55018
//   gpke.kuendigung.lfa           Beantwortung     LFA: receives 55016, answers 55017 / 55018
#include <string>
#include <vector>

#include "mako/core/workflow_registry.hpp"
#include "mako/domain/gpke/anfrage.hpp"
#include "mako/domain/gpke/beantwortung.hpp"
#include "mako/domain/gpke/lfn_lieferbeginn.hpp"
#include "mako/domain/gpke/nb_lieferbeginn.hpp"

namespace mako::gpke {

namespace workflow_names {
inline constexpr const char* kLieferbeginnNb = "gpke.lieferbeginn.nb";
inline constexpr const char* kLieferbeginnLfn = "gpke.lieferbeginn.lfn";
inline constexpr const char* kLieferendeLfa = "gpke.lieferende.lfa";
inline constexpr const char* kAbmeldungLf = "gpke.abmeldung.lf";
inline constexpr const char* kAbmeldungNb = "gpke.abmeldung.nb";
inline constexpr const char* kAbmeldungDurchNbNb = "gpke.abmeldung_durch_nb.nb";
inline constexpr const char* kAbmeldungDurchNbLf = "gpke.abmeldung_durch_nb.lf";
inline constexpr const char* kKuendigungLfn = "gpke.kuendigung.lfn";
inline constexpr const char* kKuendigungLfa = "gpke.kuendigung.lfa";
}  // namespace workflow_names

// All names above, in that order.
std::vector<std::string> workflow_names_list();

// The configured workflow objects (spec + name filled in), for spawning typed processes.
Anfrage abmeldung_lf();
Beantwortung abmeldung_nb();
Anfrage abmeldung_durch_nb_nb();
Beantwortung abmeldung_durch_nb_lf();
Anfrage kuendigung_lfn();
Beantwortung kuendigung_lfa();
Beantwortung lieferende_lfa();

// Adds every GPKE workflow to `registry` (replacing entries of the same name).
void register_workflows(WorkflowRegistry& registry);

}  // namespace mako::gpke
