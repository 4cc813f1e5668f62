#include "gil.hpp"

#include <atomic>

#include <pybind11/pybind11.h>

namespace mako::py {

namespace {
std::atomic<std::uint64_t> g_created{0};

// The persistent thread state of a foreign thread: PyGILState_Ensure creates it with a use count
// of one, which this object holds until the thread exits, so later Ensure/Release pairs only
// count up and down instead of creating and deleting a thread state each time.
struct PersistentThreadState {
  PyGILState_STATE state;
  PyThreadState* tstate;
  PersistentThreadState() {
    state = PyGILState_Ensure();
    tstate = PyEval_SaveThread();  // keep the thread state, drop the GIL
    ++g_created;
  }
  ~PersistentThreadState() {
    if (!interpreter_alive()) return;  // the interpreter is going away: leak rather than crash
    PyEval_RestoreThread(tstate);
    PyGILState_Release(state);  // use count 0: clears and deletes the thread state, drops the GIL
  }
};

struct FoldState {
  int depth = 0;
  bool held = false;
  PyGILState_STATE state{};
};
thread_local FoldState t_fold;
thread_local std::uint32_t t_signal_countdown = 0;
}  // namespace

bool interpreter_alive() {
#if PY_VERSION_HEX >= 0x030D0000
  return Py_IsInitialized() && !Py_IsFinalizing();
#else
  return Py_IsInitialized() && !_Py_IsFinalizing();
#endif
}

void ensure_thread_state() {
  thread_local bool ready = false;
  if (ready) return;
  if (PyGILState_GetThisThreadState() == nullptr) {
    thread_local PersistentThreadState keeper;
    (void)keeper;
  }
  ready = true;
}

std::uint64_t foreign_thread_states_created() { return g_created.load(); }

AcquireGil::AcquireGil() {
  ensure_thread_state();
  state_ = PyGILState_Ensure();
}
AcquireGil::~AcquireGil() { PyGILState_Release(state_); }

FoldGilScope::FoldGilScope() { ++t_fold.depth; }
FoldGilScope::~FoldGilScope() {
  if (--t_fold.depth == 0 && t_fold.held) {
    t_fold.held = false;
    PyGILState_Release(t_fold.state);
  }
}

CallGil::CallGil() : scoped_(t_fold.depth > 0) {
  if (scoped_) {
    if (!t_fold.held) {
      ensure_thread_state();
      t_fold.state = PyGILState_Ensure();
      t_fold.held = true;
    }
  } else {
    ensure_thread_state();
    state_ = PyGILState_Ensure();
  }
}
CallGil::~CallGil() {
  if (!scoped_) PyGILState_Release(state_);
}

void check_signals_every(std::uint32_t every) {
  if (++t_signal_countdown < every) return;
  t_signal_countdown = 0;
  if (PyErr_CheckSignals() != 0) throw pybind11::error_already_set();
}

}  // namespace mako::py
