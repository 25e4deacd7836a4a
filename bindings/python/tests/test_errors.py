# SPDX-License-Identifier: Apache-2.0
"""Error mapping: one exception class per status code, with the context's details."""
import struct
from decimal import Decimal

import pytest

import cpw
from cpw import _lib as lib
from cpw.errors import error_from, status_name

CLASSES = [
    (cpw.OutOfMemory, lib.CPW_ENOMEM, MemoryError),
    (cpw.InvalidInput, lib.CPW_EINVALID, ValueError),
    (cpw.NotFound, lib.CPW_ENOTFOUND, LookupError),
    (cpw.StateError, lib.CPW_ESTATE, None),
    (cpw.VersionError, lib.CPW_EVERSION, None),
    (cpw.LimitError, lib.CPW_ELIMIT, None),
    (cpw.PolicyError, lib.CPW_EPOLICY, None),
    (cpw.IOError, lib.CPW_EIO, OSError),
    (cpw.Busy, lib.CPW_EBUSY, None),
    (cpw.Corrupt, lib.CPW_ECORRUPT, None),
    (cpw.AlreadyExists, lib.CPW_EEXISTS, None),
    (cpw.Denied, lib.CPW_EDENIED, None),
]


def crc32c(data):
    """CRC32C (Castagnoli), bit by bit: the journal header's checksum."""
    crc = 0xFFFFFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return crc ^ 0xFFFFFFFF


@pytest.mark.parametrize("cls, code, builtin", CLASSES)
def test_class_per_code(cls, code, builtin):
    assert issubclass(cls, cpw.Error)
    if builtin is not None:
        assert issubclass(cls, builtin)
    e = error_from(code, None)  # no context: the message is the code's description
    assert type(e) is cls
    assert e.code == code and e.message == cpw.strerror(code)
    assert e.status == status_name(code) and e.status.startswith("CPW_E")
    assert cls("m").code == code and cls("m", -1).code == -1


def test_refusal_classes():
    assert issubclass(cpw.TransitionRefused, cpw.Denied)
    assert issubclass(cpw.PlacementDenied, cpw.Denied)
    e = cpw.TransitionRefused("m", reason="guard", explanation="why")
    assert (e.reason, e.explanation, e.code) == ("guard", "why", lib.CPW_EDENIED)
    assert cpw.PlacementDenied("m", explanation="x").explanation == "x"


def test_unknown_code_is_base_error():
    e = error_from(-99, None)
    assert type(e) is cpw.Error and e.code == -99 and e.status == "CPW_-99"
    assert type(error_from(lib.CPW_ERROR, None)) is cpw.Error


def test_details_from_the_context(policy):
    with pytest.raises(cpw.NotFound) as e:
        policy.evaluate("barnahus", {"shoe_size": 40})
    err = e.value
    assert "shoe_size" in err.message and err.file is None and err.line is None
    assert err.offset is None and err.os_error is None
    assert str(err) == err.message


def test_real_triggers(policy, fresh_policy, tmp_path):
    """Each class raised by a real library call."""
    path = str(tmp_path / "j.journal")
    cl = fresh_policy.caseload()
    cl.open_case("referral", "x", at="2026-01-01T00:00:00Z", actor="u", role="reporter")
    raised = {}

    def expect(cls, fn):
        with pytest.raises(cls) as e:
            fn()
        raised[cls] = e.value
        assert e.value.code < 0

    expect(cpw.InvalidInput, lambda: cpw.parse_date("2019-02-30"))
    expect(cpw.NotFound, lambda: policy.evaluate("nope", {}))
    expect(cpw.AlreadyExists, lambda: cl.open_case("referral", "x", at="2026-01-01T00:00:00Z",
                                                   actor="u", role="reporter"))
    expect(cpw.TransitionRefused, lambda: cl["x"].apply(
        "close", actor="u", role="supervisor", at="2026-01-02T00:00:00Z"))
    expect(cpw.PolicyError, lambda: cpw.Policy.from_string("field x: nothing"))
    expect(cpw.IOError, lambda: cpw.Journal.open(str(tmp_path / "a" / "b"), policy=policy))
    reg = policy.registry()
    reg.add_child("b", "2019-06-01")
    expect(cpw.PlacementDenied, lambda: reg.place("b", "2020-01-01",
                                                  facility="tbilisi_infant_house",
                                                  actor="u", role="social_worker"))
    reg.place("b", "2020-01-01", setting="kinship", region="R", actor="u", role="social_worker")
    expect(cpw.StateError, lambda: reg.place("b", "2020-01-02", setting="kinship", region="R",
                                             actor="u", role="social_worker"))
    with cpw.Journal.open(path, policy=policy) as j:
        j.annotate("x", at="2026-01-01T00:00:00Z", actor="u")
        expect(cpw.Busy, lambda: cpw.Journal.open(path, policy=policy))
        expect(cpw.LimitError, lambda: j.annotate(
            "big", at="2026-01-01T00:00:00Z", actor="u",
            fields={"f%d" % i: "x" * 60000 for i in range(20)}))
    # a newer format version: CPW_EVERSION
    data = bytearray(open(path, "rb").read())
    newer = bytearray(data)
    newer[8:12] = struct.pack("<I", 2)
    hlen = struct.unpack("<I", bytes(newer[12:16]))[0]   # the header's CRC must still hold
    newer[hlen - 4:hlen] = struct.pack("<I", crc32c(bytes(newer[:hlen - 4])))
    open(path, "wb").write(bytes(newer))
    expect(cpw.VersionError, lambda: cpw.Journal.verify_file(path))
    assert "2" in raised[cpw.VersionError].message
    # a damaged entry: CPW_ECORRUPT with the offset
    damaged = bytearray(data)
    damaged[len(damaged) // 2] ^= 0xFF
    open(path, "wb").write(bytes(damaged))
    expect(cpw.Corrupt, lambda: cpw.Journal.verify_file(path))
    assert raised[cpw.Corrupt].file == path
    assert isinstance(raised[cpw.IOError], OSError) and raised[cpw.IOError].errno == 2
    assert raised[cpw.PolicyError].line == 1


NAME = "Nino Beridze"  # a value a caseworker might type into the wrong column


@pytest.mark.parametrize("field,value", [
    ("citizenship", NAME), ("alleged_sexual_violence", NAME), ("tsa_score", NAME),
    ("tsa_score", 12.5), ("birth_date", NAME), ("birth_date", "2010-13-45"),
    ("tsa_registered", 7), ("citizenship", 12345),
])
def test_messages_never_quote_the_value(policy, field, value):
    """Messages name the field, the record and the kind of problem, never the value (it may
    be a child's name or another personal detail)."""
    for call in (lambda: policy.evaluate("barnahus", {field: value}),
                 lambda: policy.evaluate_many("barnahus", {field: ["georgian"
                                                               if field == "citizenship"
                                                               else None, value]}),
                 lambda: policy.record({field: value})):
        with pytest.raises((cpw.InvalidInput, TypeError)) as e:
            call()
        msg = str(e.value)
        assert field in msg, msg
        assert str(value) not in msg and repr(value) not in msg, msg
        if "evaluate_many" in repr(call.__code__.co_names):
            assert "record 1" in msg


def test_unknown_enum_value_lists_the_valid_ones(policy):
    with pytest.raises(cpw.InvalidInput) as e:
        policy.evaluate("barnahus", {"citizenship": "martian"})
    assert "georgian, stateless, foreign" in str(e.value) and "martian" not in str(e.value)


def test_money_messages(test_policy):
    for bad in ("twelve", "12.505", Decimal("1.005"), float("inf")):
        with pytest.raises(cpw.InvalidInput) as e:
            test_policy.evaluate("support", {"income": bad})
        assert "income" in str(e.value) and str(bad) not in str(e.value)


def test_file_error_does_not_hide_the_builtin():
    ns = {}
    exec("from cpw import *", ns)
    assert "IOError" not in ns and ns["FileError"] is cpw.FileError
    assert cpw.IOError is cpw.FileError and issubclass(cpw.FileError, OSError)
