#pragma once
// An event store for crash tests: forwards everything to another store, and the `kill_at`-th
// append SIGKILLs the process before anything of it is written -- a crash at a known point.
#include <csignal>
#include <memory>

#include <mako/core/event_store.hpp>

namespace sqlite_test {

class KillingEventStore final : public mako::EventStore {
 public:
  KillingEventStore(std::shared_ptr<mako::EventStore> inner, int kill_at)
      : inner_(std::move(inner)), kill_at_(kill_at) {}
  std::uint64_t append(mako::CommitBatch& batch) override {
    if (++appends_ == kill_at_) ::raise(SIGKILL);
    return inner_->append(batch);
  }
  std::vector<mako::EventEnvelope> load_from(const mako::StreamId& s, std::uint64_t after) const override {
    return inner_->load_from(s, after);
  }
  std::uint64_t fold_stream(const mako::StreamId& s, std::uint64_t after, const EventVisitor& v) const override {
    return inner_->fold_stream(s, after, v);
  }
  std::uint64_t stream_version(const mako::StreamId& s) const override { return inner_->stream_version(s); }
  mako::StreamPage list_streams(const std::string& p, const std::optional<std::string>& a,
                                std::size_t l) const override {
    return inner_->list_streams(p, a, l);
  }
  std::vector<mako::EventEnvelope> read_all(std::uint64_t after, std::size_t limit) const override {
    return inner_->read_all(after, limit);
  }
  std::uint64_t head_position() const override { return inner_->head_position(); }
  void close() override { inner_->close(); }
  std::unique_ptr<mako::WorkUnit> begin_work_unit(mako::UnitNesting nesting = mako::UnitNesting::Savepoint) override {
    return inner_->begin_work_unit(nesting);
  }

 private:
  std::shared_ptr<mako::EventStore> inner_;
  int kill_at_;
  int appends_ = 0;
};

}  // namespace sqlite_test
