"""The domain modules' surface: every public name exported and documented, stubs in sync."""

from __future__ import annotations

import inspect

import pytest

import mako_engine as mk
from mako_engine import calendar, edifact, gpke, identifiers, market

MODULES = [calendar, edifact, gpke, identifiers, market]


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_every_public_name_exists_and_is_documented(module: object) -> None:
    assert inspect.getdoc(module)
    for name in module.__all__:  # type: ignore[attr-defined]
        obj = getattr(module, name)
        if isinstance(obj, (str, tuple)):
            continue
        assert inspect.getdoc(obj), f"{module.__name__}.{name}"  # type: ignore[attr-defined]
        if inspect.isclass(obj):
            for attr, member in vars(obj).items():
                if attr.startswith("_") or not callable(member):
                    continue
                assert inspect.getdoc(getattr(obj, attr)), f"{module.__name__}.{name}.{attr}"  # type: ignore[attr-defined]


def test_modules_are_reachable_from_the_package() -> None:
    for module in MODULES:
        assert getattr(mk, module.__name__.rsplit(".", 1)[1]) is module
