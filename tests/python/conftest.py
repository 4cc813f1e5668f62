"""Shared fixtures of the mako_engine pytest suite."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

import mako_engine as mk


@pytest.fixture(params=["in_memory", "sqlite"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[mk.Engine]:
    """Every engine-level test runs against the in-memory store and a SQLite file."""
    if request.param == "in_memory":
        yield mk.Engine.in_memory()
    else:
        yield mk.Engine.open(tmp_path / "engine.sqlite", durability="relaxed")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "mako.sqlite"


class Counter(mk.Workflow):
    """A small Python workflow used by several tests."""

    name = "counter"

    def initial_state(self) -> dict:
        return {"count": 0, "log": []}

    def apply(self, state: dict, event: dict) -> dict:
        if event["type"] == "Added":
            return {"count": state["count"] + event["data"]["by"], "log": state["log"] + [event["data"]["by"]]}
        if event["type"] == "Reset":
            return {"count": 0, "log": state["log"]}
        raise ValueError(f"unknown event {event!r}")

    def handle(self, state: dict, command: dict) -> list:
        kind = command["kind"]
        if kind == "add":
            if command["by"] <= 0:
                raise mk.ValidationFailed("by must be positive")
            return [{"type": "Added", "data": {"by": command["by"]}}]
        if kind == "reset":
            if state["count"] == 0:
                raise mk.InvalidState("Counting", "Zero")
            return [{"type": "Reset"}]
        if kind == "noop":
            return []
        raise mk.WorkflowNotImplemented(f"command {kind}")


@pytest.fixture
def counter_workflow() -> type:
    return Counter
