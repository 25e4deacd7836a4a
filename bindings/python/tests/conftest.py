# SPDX-License-Identifier: Apache-2.0
"""Fixtures of the cpw tests.

The tests import the package from this source tree (bindings/python). The library is the
one CPW_LIBRARY names (ctest python.pytest sets it); when it is not set, a build in the
repository's build/ folder is used if there is one.
"""
import glob
import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
PKG_ROOT = os.path.dirname(HERE)
REPO = os.path.dirname(os.path.dirname(PKG_ROOT))
sys.path.insert(0, PKG_ROOT)

if not os.environ.get("CPW_LIBRARY"):
    found = sorted(glob.glob(os.path.join(REPO, "build", "*", "libcpw.so.1")),
                   key=os.path.getmtime, reverse=True)
    if found:
        os.environ["CPW_LIBRARY"] = found[0]

import cpw  # noqa: E402

GEORGIAN_RETURNEE = {
    "citizenship": "georgian",
    "months_abroad_irregular": 14,
    "asylum_applied_abroad": False,
    "asylum_granted_abroad": False,
    "return_date": "2021-01-10",
    "registration_date": "2021-03-01",
    "city": "tbilisi",
}

TEST_POLICY = """
policy test "A small test policy" version "0.1"
timezone "+04:00"
field age: int "Age in years"
field income: money "Monthly income"
field born: date "Date of birth"
field seen: datetime "Last seen"
field citizen: bool "Is a citizen"
field region: enum(north, south, east) "Region"
field needs: set of enum(food, shelter, school) "Needs"
field note: text "A note"

program support "Support" {
  source "Test rule 1"
  in force from 2020-01-01
  eligible when citizen and age < 18 and income <= 500 GEL
  benefit grant 100 GEL monthly "A monthly grant"
  service visits when region = north "Home visits"
  service meals "Meals"
}

program shelter "Shelter" {
  eligible when shelter in needs
}
"""


@pytest.fixture(scope="session")
def policy():
    """Georgia's embedded policy, shared (it is immutable)."""
    return cpw.Policy.default()


@pytest.fixture(scope="session")
def test_policy():
    return cpw.Policy.from_string(TEST_POLICY, name="test.cpw")


@pytest.fixture
def returnee():
    return dict(GEORGIAN_RETURNEE)


@pytest.fixture
def fresh_policy():
    """A policy of one's own (for tests that use its caseload)."""
    return cpw.Policy.default()


@pytest.fixture
def repo():
    return REPO


@pytest.fixture
def library():
    return os.environ.get("CPW_LIBRARY") or cpw.LIBRARY_PATH
