"""A Python workflow for tests/python/test_serve.py, imported by the `mako-engine serve` process
through its config (``workflow = "serve_workflows:Reminder"``): one deadline, one event when it fires."""

from __future__ import annotations

import datetime as dt
from typing import Any

import mako_engine as mk


class Reminder(mk.Workflow):
    """``Schedule`` {"due": RFC 3339} -> Scheduled + a deadline; the deadline's ``Remind`` -> Reminded."""

    name = "test.serve.reminder"

    def initial_state(self) -> Any:
        return {}

    def apply(self, state: Any, event: Any) -> Any:
        return state

    def handle(self, state: Any, command: Any) -> Any:
        if command["type"] == "Schedule":
            due = dt.datetime.fromisoformat(command["data"]["due"])
            return mk.WorkflowOutput(events=[{"type": "Scheduled", "data": {"due": command["data"]["due"]}}],
                                     deadlines=[mk.DeadlineRequest("remind", due, {"type": "Remind", "data": {}})])
        if command["type"] == "Remind":
            return [{"type": "Reminded", "data": {}}]
        return [{"type": "Received", "data": {}}]
