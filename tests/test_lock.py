"""The lock files hold every dependency pyproject.toml declares, at a version it allows.

`make run` and `make test` install only from requirements/*.txt (with hashes); a dependency
added to pyproject.toml without `make lock` would be missing on a new machine, so this test
fails first, on the developer's machine.
"""

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
PIN = re.compile(r"^([A-Za-z0-9._-]+)(?:\[[^\]]*\])?==([^\s;\\]+)", re.MULTILINE)


def _pins(name: str) -> dict[str, str]:
    text = (ROOT / "requirements" / name).read_text()
    return {canonicalize_name(m[1]): m[2] for m in PIN.finditer(text)}


def _check(requirements: list[str], pins: dict[str, str]) -> list[str]:
    problems = []
    for line in requirements:
        requirement = Requirement(line)
        version = pins.get(canonicalize_name(requirement.name))
        if version is None:
            problems.append(f"{requirement.name} is not locked")
        elif not requirement.specifier.contains(version, prereleases=True):
            problems.append(f"{requirement.name}=={version} does not satisfy {requirement}")
    return problems


def test_production_lock_holds_every_dependency():
    assert _check(PROJECT["dependencies"], _pins("base.txt")) == []


def test_test_lock_holds_the_test_tools_at_the_production_versions():
    base, test = _pins("base.txt"), _pins("test.txt")
    assert _check(PROJECT["dependencies"], test) == []
    assert _check(PROJECT["optional-dependencies"]["test"], test) == []
    assert {name: test.get(name) for name in base} == base


@pytest.mark.parametrize("name", ["base.txt", "test.txt"])
def test_every_locked_package_carries_a_hash(name):
    text = (ROOT / "requirements" / name).read_text()
    blocks = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 2)[2])
    unhashed = [b.split()[0] for b in blocks if "==" in b and "--hash=sha256:" not in b]
    assert unhashed == []
