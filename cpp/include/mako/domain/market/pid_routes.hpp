#pragma once
// The PID router table: for each UTILMD Prüfidentifikator a party receives, which workflow handles
// it, whether it starts a process (Spawn) or answers one (Resume: found in the ProcessRegistry
// under kind "vorgang" + the RFF+TN it quotes), and which JSON command carries it. Data, so an
// embedder can add or replace rows (docs/mako-domain.md, "Keep explicit tables").
//
//   Netzbetreiber (nb_routes):
//     55001 spawn  gpke.lieferbeginn.nb        ReceiveAnmeldung{anmeldung, stammdaten}
//     55011 55012  resume gpke.lieferbeginn.nb ReceiveLfaAnswer{answer}
//     55004 spawn  gpke.abmeldung.nb           ReceiveRequest{request}
//     55008 55009  resume gpke.abmeldung_durch_nb.nb ReceiveAnswer{answer}
//   Lieferant, as LFN and as LFA (lf_routes):
//     55036 55002 55003 resume gpke.lieferbeginn.lfn ReceiveNbMessage{message}
//     55010 spawn  gpke.lieferende.lfa         ReceiveRequest{request}
//     55037 resume gpke.lieferende.lfa         ReceiveFollowUp{message}, by MaLo (kind "followup":
//           the AHB gives the 55037 no RFF+TN; the LFA process registers its MaLo under "followup")
//     55005 55006  resume gpke.abmeldung.lf    ReceiveAnswer{answer}
//     55007 spawn  gpke.abmeldung_durch_nb.lf  ReceiveRequest{request}
//     55016 spawn  gpke.kuendigung.lfa         ReceiveRequest{request}
//     55017 55018  resume gpke.kuendigung.lfn  ReceiveAnswer{answer}
// Any other PID is dead-lettered by the router (and answered with APERAK Z31).
// The correlation key of a resume row is the RFF+TN it quotes for kind "vorgang", else the MaLo.
#include <map>
#include <optional>
#include <string>

#include "mako/core/message_router.hpp"

namespace mako::market {

struct PidRoute {
  Route route;                        // workflow, Spawn/Resume, correlation kind ("vorgang")
  std::string command_type;           // e.g. "ReceiveAnmeldung"
  std::string vorgang_field;          // the command field carrying the UtilmdVorgang, e.g. "anmeldung"
  bool needs_nb_master_data = false;  // ReceiveAnmeldung: add "stammdaten" from NbMasterData
};

class PidRouteTable {
 public:
  PidRouteTable& spawn(const std::string& pid, const std::string& workflow, const std::string& command_type,
                       const std::string& vorgang_field, bool needs_nb_master_data = false);
  PidRouteTable& resume(const std::string& pid, const std::string& workflow, const std::string& command_type,
                        const std::string& vorgang_field, const std::string& correlation_kind = "vorgang");
  std::optional<PidRoute> find(const std::string& pid) const;
  const std::map<std::string, PidRoute>& rows() const { return rows_; }
  // Registers every row with a core MessageRouter (route key = PID).
  void install(MessageRouter& router) const;

 private:
  std::map<std::string, PidRoute> rows_;
};

PidRouteTable nb_routes();
PidRouteTable lf_routes();

}  // namespace mako::market
