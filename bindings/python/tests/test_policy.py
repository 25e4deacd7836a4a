# SPDX-License-Identifier: Apache-2.0
"""Policies: compiling, identity, fields, programmes, workflows, settings, calendars."""
import datetime as dt
import os
import re

import pytest

import cpw
from conftest import TEST_POLICY


def test_version_matches_library():
    assert re.match(r"^1\.\d+\.\d+$", cpw.__version__)
    major, minor, patch = (int(x) for x in cpw.__version__.split("."))
    assert cpw._ffi.LIBRARY_VERSION == (major, minor, patch)
    assert cpw.HEADER_VERSION[0] == major
    assert os.path.exists(cpw.LIBRARY_PATH) or cpw.LIBRARY_PATH == "libcpw.so.1"


def test_policy_constructor_is_not_public():
    with pytest.raises(TypeError):
        cpw.Policy()


def test_default_identity(policy):
    assert policy.name == "georgia"
    assert policy.version
    assert policy.title.startswith("Georgia")
    assert re.match(r"^[0-9a-f]{64}$", policy.hash)
    assert policy.timezone.utcoffset(None) == dt.timedelta(hours=4)
    assert policy.warnings == []
    assert "georgia" in repr(policy)
    assert isinstance(policy.today(), dt.date)


def test_default_policy_is_deterministic(policy):
    assert cpw.Policy.default().hash == policy.hash


def test_programs(policy):
    progs = policy.programs
    assert "reintegration_assistance" in progs
    assert "tsa_child_benefit" in progs
    assert progs == list(dict.fromkeys(progs))  # no duplicates, declaration order
    p = policy.program("reintegration_assistance")
    assert p.id == "reintegration_assistance"
    assert p.title.startswith("Reintegration")
    assert "MIG" in p.source
    assert p.in_force_from == dt.date(2015, 1, 1)
    assert p.in_force_until is None
    assert "medical" in p.services and "temporary_accommodation" in p.services
    assert p.benefits == ("income_grant",)
    with pytest.raises(cpw.NotFound) as e:
        policy.program("no_such_programme")
    assert "no_such_programme" in str(e.value)
    assert isinstance(e.value, LookupError)
    with pytest.raises(TypeError):
        policy.program(42)


def test_fields(policy):
    f = policy.fields
    assert list(f)[:2] == ["birth_date", "citizenship"]
    c = f["citizenship"]
    assert c.type == "enum" and c.values == ("georgian", "stateless", "foreign")
    assert c.description == "Citizenship"
    assert f["birth_date"].type == "date" and f["birth_date"].values == ()
    assert f["tsa_score"].type == "int"
    assert f["street_situation"].type == "bool"
    assert policy.field("city").values[0] == "tbilisi"
    with pytest.raises(cpw.NotFound):
        policy.field("nope")


def test_field_types_all(test_policy):
    types = {n: f.type for n, f in test_policy.fields.items()}
    assert types == {"age": "int", "income": "money", "born": "date", "seen": "datetime",
                     "citizen": "bool", "region": "enum", "needs": "set", "note": "text"}
    assert test_policy.fields["needs"].values == ("food", "shelter", "school")
    assert [f.index for f in test_policy.fields.values()] == list(range(8))


def test_workflows_and_settings(policy):
    assert policy.workflows == ["referral", "trafficking_status"]
    s = policy.settings
    assert s[0] == cpw.Setting("biological_family", "own_family")  # not alternative care
    assert {x.category for x in s} == {"family", "family_type", "residential", "own_family"}


def test_calendar_of_policy(policy):
    cal = policy.calendar()
    assert cal.name == "georgia"
    assert cal.read_only
    assert cal.holiday("2026-05-26") == "Independence Day"
    assert policy.calendar("georgia").is_working_day("2026-03-02")
    with pytest.raises(cpw.NotFound):
        policy.calendar("mars")
    with pytest.raises(cpw.StateError):
        cal.add_date("2026-06-01", "not allowed")


def test_from_string_and_sources(test_policy):
    assert test_policy.name == "test"
    assert test_policy.version == "0.1"
    assert test_policy.programs == ["support", "shelter"]
    half = TEST_POLICY.index('program support')
    two = cpw.Policy.from_sources({"fields.cpw": TEST_POLICY[:half],
                                   "programs.cpw": TEST_POLICY[half:]})
    assert two.programs == ["support", "shelter"]
    pairs = cpw.Policy.from_sources([("a.cpw", TEST_POLICY.encode())])
    assert pairs.programs == ["support", "shelter"]


def test_default_sources_compile_to_the_default(policy):
    sources = cpw.Policy.default_sources()
    assert len(sources) >= 3
    assert all(name.endswith(".cpw") for name, _ in sources)
    assert "policy georgia" in sources[0][1]
    again = cpw.Policy.from_sources(sources)
    assert again.hash == policy.hash


def test_from_file(tmp_path):
    p = tmp_path / "mine.cpw"
    p.write_text(TEST_POLICY)
    pol = cpw.Policy.from_file(p)
    assert pol.programs == ["support", "shelter"]
    assert cpw.Policy.from_file(str(p)).hash == pol.hash


def test_hash_does_not_depend_on_how_the_path_is_spelled(tmp_path, monkeypatch):
    """good.cpw, ./good.cpw and the absolute path are one policy: a journal written under
    one reopens, for writing, under another from another working directory."""
    (tmp_path / "good.cpw").write_text('policy agency "Agency" version "1"\n'
                                       'field n: int\nprogram p "P" { eligible when n > 3 }\n')
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path)
    a = cpw.Policy.from_file("good.cpw")
    assert cpw.Policy.from_file("./good.cpw").hash == a.hash
    assert cpw.Policy.from_file(str(tmp_path / "good.cpw")).hash == a.hash
    assert cpw.Policy.from_sources([("renamed.cpw", (tmp_path / "good.cpw").read_text())]
                                   ).hash == a.hash
    with cpw.Journal.open("h.journal", policy=a) as j:
        j.annotate("note", actor="u1", at="2026-01-05T10:00:00+04:00")
    monkeypatch.chdir(tmp_path / "elsewhere")
    b = cpw.Policy.from_file(str(tmp_path / "good.cpw"))
    with cpw.Journal.open(str(tmp_path / "h.journal"), policy=b, create=False) as j:
        assert len(list(j.entries())) == 1
    c = cpw.Policy.from_file("../good.cpw")
    with cpw.Journal.open("../h.journal", policy=c, create=False) as j:
        assert j.recovery.entries == 1


def test_program_fields(policy):
    """The fields a programme reads: its rule's facts and its services' conditions."""
    p = policy.program("reintegration_assistance")
    names = [f.name for f in p.fields]
    assert names[:2] == ["citizenship", "stateless_status"]
    assert {"months_abroad_irregular", "return_date", "registration_date"} <= set(names)
    assert "city" not in names  # temporary accommodation is provided in Tbilisi: no residence test
    assert "tsa_score" not in names
    assert p.fields[0].values == ("georgian", "stateless", "foreign")
    assert [f.name for f in policy.program("tsa_child_benefit").fields] == \
        ["birth_date", "tsa_registered", "tsa_score"]


def test_policy_source(policy, tmp_path):
    assert policy.source_files == policy.default_sources()
    assert "policy georgia" in policy.source and "program tsa_child_benefit" in policy.source
    text = 'field n: int\nprogram p "P" { eligible when n > 3 }\n'
    assert cpw.Policy.from_string(text).source == text
    f = tmp_path / "one.cpw"
    f.write_text(text)
    assert cpw.Policy.from_file(f).source_files == [(str(f), text)]
    two = cpw.Policy.from_sources({"a.cpw": "field n: int\n",
                                   "b.cpw": 'program p "P" { eligible when n > 3 }\n'})
    assert two.source == "# ---- a.cpw\nfield n: int\n\n# ---- b.cpw\n" \
                         'program p "P" { eligible when n > 3 }\n'


def test_policy_error_has_location_and_diagnostics():
    text = "field x: int\nprogram p \"P\" {\n  eligible when y > 1\n}\n"
    with pytest.raises(cpw.PolicyError) as e:
        cpw.Policy.from_string(text, name="bad.cpw")
    err = e.value
    assert err.code == cpw._lib.CPW_EPOLICY and err.status == "CPW_EPOLICY"
    assert err.file == "bad.cpw"
    assert err.line == 3 and err.column > 0
    assert "y" in err.message
    assert err.diagnostics and err.diagnostics[0].severity == "error"
    d = err.diagnostics[0]
    assert (d.file, d.line, d.column) == ("bad.cpw", err.line, err.column)
    assert str(d).startswith("bad.cpw:3:")
    assert str(err).startswith("bad.cpw:3:")


def test_policy_error_lists_every_error():
    text = "field a: bogus\nfield b: alsobogus\n"
    with pytest.raises(cpw.PolicyError) as e:
        cpw.Policy.from_string(text, name="two.cpw")
    assert len([d for d in e.value.diagnostics if d.severity == "error"]) >= 1


def test_from_file_missing_is_ioerror(tmp_path):
    missing = tmp_path / "absent.cpw"
    with pytest.raises(cpw.IOError) as e:
        cpw.Policy.from_file(missing)
    assert e.value.os_error == 2 and e.value.errno == 2
    assert e.value.file == str(missing)
    assert isinstance(e.value, OSError)
    assert e.value.code == cpw._lib.CPW_EIO


def test_strerror():
    assert cpw.strerror(-2) == "out of memory"
    assert cpw.strerror(0)
