#pragma once
// Inbound pipeline: from a received EDIFACT file to executed workflow commands.
//
//   1. parse + validate (edifact::parse, then the typed view of every message). Any error ->
//      CONTRL with UCI ...+4 back to the sender, naming the fault (edifact/syntax_fault.hpp); the file counts as never
//      received: no inbox entry, nothing executed, the sender's deadlines keep running (docs/mako-domain.md,
//      "EDIFACT"). An interchange addressed to an MP-ID that is not ours is rejected the same way (code 7).
//   2. CONTRL ...+7 for a good interchange. CONTRL and APERAK are never answered with CONTRL.
//      Whether Strom wants the positive CONTRL is open (docs/open-questions.md, "Positive CONTRL in Strom").
//   3. inbox dedup, key "<sender>/<interchange ref>" under the receiving MP-ID's tenant, recorded in
//      the same unit of work as the commands of step 4, so a crash can neither lose the file's
//      commands (key recorded, commands not) nor run them twice (commands run, key not). A
//      duplicate was acknowledged in step 2 (the sender may have resent because our CONTRL got lost)
//      but is not processed again: it is recorded as a duplicate and the file moves to rejected/.
//   4. per UTILMD transaction: route by PID (PidRouteTable through the core MessageRouter: spawn, or
//      resume the process registered under "vorgang" + RFF+TN). Unknown PID / no such process ->
//      DeadLetterSink (by the router) and APERAK 313: Z31 for a PID without a route (we do not
//      process it in our role), Z33 for an answer whose process is not there. A transaction that
//      breaks its PID's AHB rules (edifact/ahb_check.hpp) gets APERAK 313 Z29 naming the field and
//      touches no process. The command (received_at = the receipt instant from the engine's clock,
//      or the file's earlier arrival with decided_at = now) runs with retry on version conflicts; a command the
//      workflow refuses (WorkflowError) or a failing engine -> DeadLetterSink (source "pipeline")
//      and APERAK 313 Z29 (refusals only).
//   5. The workflows' answers go to the outbox with their events; an OutboxWorker with an
//      EdifactOutboxTransport renders and sends them (not this class).
// Positive APERAK (312, "Anerkennungsmeldung") is not sent by default. The APERAK AHB requires
// one per processable Geschäftsvorfall in Sparte Strom (none in Gas); set send_positive_aperak
// to send one per transaction the process accepted.
//
// For the NB's 55001 the pipeline adds the ReceiveAnmeldung.stammdaten: assigned supplier and
// preconditions from NbMasterData, a pending Anmeldung from the NB's own undecided
// gpke.lieferbeginn.nb process for the MaLo (ProcessRegistry "malo").
//
// Not thread-safe: one pipeline per receiving thread (the stores behind it are).
#include <cstddef>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "mako/core/engine.hpp"
#include "mako/core/message_router.hpp"
#include "mako/core/workflow_registry.hpp"
#include "mako/domain/calendar/berlin_time.hpp"
#include "mako/domain/edifact/ahb_check.hpp"
#include "mako/domain/edifact/parsed_view.hpp"
#include "mako/domain/edifact/syntax_fault.hpp"
#include "mako/domain/edifact/utilmd.hpp"
#include "mako/domain/market/market_transport.hpp"
#include "mako/domain/market/nb_master_data.hpp"
#include "mako/domain/market/nb_supply_projection.hpp"
#include "mako/domain/market/pid_routes.hpp"

namespace mako::market {

struct InboundPipelineOptions {
  std::vector<std::string> own_mp_ids;  // the MP-IDs this engine receives for (one tenant each)
  PidRouteTable routes;
  std::shared_ptr<const NbMasterData> nb_master_data;  // required by routes with needs_nb_master_data
  // When set, caught up with the engine's event log before every master-data lookup, so the
  // lookup sees the switches this NB confirmed (nb_supply_projection.hpp).
  std::shared_ptr<NbSupplyProjection> supply_projection;
  bool send_positive_aperak = false;
  unsigned max_attempts = 3;  // per command, for version conflicts
  // Check every UTILMD transaction against its PID's AHB rules before any command runs
  // (edifact/ahb_check.hpp); a violation is answered with an APERAK naming the field.
  bool check_ahb = true;
};

// AhbRejected: every transaction of the file broke its AHB rules (settled as rejected).
enum class FileOutcome { Accepted, SyntaxRejected, Duplicate, AhbRejected };
const char* to_string(FileOutcome outcome);

struct TransactionResult {
  // AhbRejected: the transaction broke its PID's AHB rules; no process was touched.
  enum class Kind { Executed, DeadLettered, Refused, Failed, AhbRejected };
  Kind kind = Kind::Executed;
  std::string pid;
  std::string transaction;  // IDE+24
  std::string workflow;
  std::optional<ProcessIdentity> process;  // Executed: the process that took the command
  std::string reason;                      // otherwise: why
  std::size_t events = 0;                  // events appended
};

struct FileReceipt {
  FileOutcome outcome = FileOutcome::Accepted;
  std::string sender;
  std::string interchange_reference;
  std::string error;  // SyntaxRejected: the parser's message
  std::vector<TransactionResult> transactions;
  std::vector<std::string> acknowledgements;  // CONTRL/APERAK received: "CONTRL 7", "CONTRL 4", "APERAK 313"
};

struct PipelineStats {
  std::size_t files = 0, accepted = 0, syntax_rejected = 0, duplicates = 0;
  std::size_t executed = 0, dead_lettered = 0, refused = 0, failed = 0, ahb_rejected = 0;
  std::size_t contrl_sent = 0, contrl_rejections_sent = 0, aperak_sent = 0;
  std::size_t contrl_received = 0, contrl_rejections_received = 0, aperak_received = 0;
};

class InboundPipeline {
 public:
  // `workflows` must outlive the pipeline. The engine needs a process registry for Resume routes,
  // and should have an inbox store (without one, dedup is off) and a dead-letter sink.
  InboundPipeline(EngineContext engine, const WorkflowRegistry& workflows, std::shared_ptr<MarketTransport> transport,
                  InboundPipelineOptions options);

  // Processes one file at the engine clock's now, in one unit of work (joining the caller's when
  // one is open, UnitNesting::Join): its inbox key, the commands of all its transactions with
  // their outbox messages and deadlines, and its dead letters commit together or not at all. Does
  // not settle the file. A store failure (busy past the timeout, I/O, corrupt) is thrown, not
  // dead-lettered: nothing of the file is kept (a caller's unit becomes rollback-only) and it
  // should be received again later.
  FileReceipt receive(const InboundFile& file);
  // Receives every waiting file (as receive()) without settling any: settle them once the
  // caller's unit of work has committed, so that a crash before the commit leaves every file
  // waiting. Until settled, a received file is in flight: later polls skip it. Stops at the
  // first store failure (thrown); that file and the ones after it stay waiting.
  std::vector<std::pair<InboundFile, FileReceipt>> receive_waiting();
  // Takes received files out of the transport's waiting set (processed/ or rejected/).
  void settle(const std::vector<std::pair<InboundFile, FileReceipt>>& received);
  // For received files whose unit of work rolled back: no longer in flight, received again by
  // the next poll.
  void release(const std::vector<std::pair<InboundFile, FileReceipt>>& received);
  // receive_waiting() in one unit of work, commit, settle.
  std::vector<FileReceipt> poll_once();

  const PipelineStats& stats() const { return stats_; }
  const EngineContext& engine() const { return engine_; }

 private:
  FileReceipt receive_in_unit(const InboundFile& file);
  FileReceipt reject_syntax(const InboundFile& file, const std::string& error, const edifact::SyntaxFault& fault);
  // Answers transaction `index` with an APERAK and a dead letter when `violations` (of its
  // message) name it or the whole message; true when it did (the transaction is not processed).
  bool reject_ahb(const edifact::UtilmdMessage& message, std::size_t index,
                  const std::vector<edifact::AhbViolation>& violations, const std::string& bytes,
                  const std::string& interchange_reference, calendar::Instant now, FileReceipt& receipt);
  void process_transaction(const edifact::UtilmdMessage& message, std::size_t index, const std::string& bytes,
                           const std::string& interchange_reference, calendar::Instant received, calendar::Instant now,
                           FileReceipt& receipt);
  Json build_command(const PidRoute& row, Json vorgang, calendar::Instant received, calendar::Instant now,
                     const TenantId& tenant, const std::string& malo, const std::optional<calendar::Date>& start) const;
  std::optional<calendar::Date> pending_anmeldung(const TenantId& tenant, const std::string& malo) const;
  void send_ack(const std::string& own, const std::string& partner, const std::string& kind,
                const std::string& reference, const std::string& bytes, calendar::Instant now);
  bool is_own(const std::string& mp_id) const;

  EngineContext engine_;
  const WorkflowRegistry& workflows_;
  std::shared_ptr<MarketTransport> transport_;
  InboundPipelineOptions options_;
  MessageRouter router_;
  PipelineStats stats_;
  std::uint64_t sequence_ = 0;
  std::set<std::string> in_flight_;  // handles received but not settled yet
  // Each file is parsed into this one (parse_views resets it): its lists keep their capacity,
  // so a file costs no allocations for them. Behind a pointer so the pipeline stays movable.
  std::unique_ptr<edifact::ParsedInterchange> parsed_ = std::make_unique<edifact::ParsedInterchange>();
};

}  // namespace mako::market
