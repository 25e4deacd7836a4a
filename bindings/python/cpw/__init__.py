# SPDX-License-Identifier: Apache-2.0
"""cpw: Python bindings of libcpw, an embeddable C library for child-protection case work.

libcpw models, from policy files compiled into bytecode, who qualifies for which state
programme (with the missing facts listed and a plain-English explanation of every decision),
referral cases (workflows with roles, guards and deadlines on working days), placements and
deinstitutionalization indicators, and a durable, tamper-evident journal. Georgia's policy is
embedded::

    import cpw
    pol = cpw.Policy.default()
    d = pol.evaluate("reintegration_assistance",
                     {"citizenship": "georgian", "months_abroad_irregular": 10,
                      "asylum_applied_abroad": False, "asylum_granted_abroad": False},
                     as_of="2019-06-01")
    d.outcome        # "not_eligible"
    print(d.explain())

The bindings use cffi in ABI mode over ``_cdef.h`` (generated from the C headers): no
compiler is needed, and the package runs against any libcpw 1.x. The library is loaded from
the package's own copy, else ``$CPW_LIBRARY``, else the system loader (see ``cpw._ffi``).

Errors are exceptions (:class:`cpw.Error` and its subclasses). C objects are freed by the
garbage collector, and every object keeps the objects it depends on alive (a decision its
policy, a case its caseload). Dates are ``datetime.date`` or "YYYY-MM-DD"; instants are
timezone-aware ``datetime`` or ISO 8601 strings with an offset (naive datetimes are refused).
"""
from ._ffi import ffi as _ffi_ffi, lib as _lib, LIBRARY_PATH, HEADER_VERSION  # noqa: F401
from .errors import (AlreadyExists, Busy, Corrupt, Denied, Diagnostic, Error, InvalidInput,
                     FileError, IOError, LimitError, NotFound, OutOfMemory, PlacementDenied, PolicyError,
                     StateError, TransitionRefused, VersionError)
from .policy import (Benefit, Decision, Field, Outcome, Policy, Program, Reason, Record,
                     Setting)
from .batch import Columns
from .workflow import Case, Caseload, Deadline, Workflow
from .journal import Journal, JournalInfo, JournalStatus
from .placement import EXIT_REASONS, Indicators, Placement, Registry
from .calendar import (Calendar, add_months, add_years, age, format_time, orthodox_easter,
                       parse_date, parse_time)
from ._common import (format_date, format_money, format_number, get_language, language_name,
                      languages, message, set_language)

#: The C library's version ("1.x.y"), as reported by the loaded libcpw.
__version__ = _ffi_ffi.string(_lib.cpw_version_string()).decode("ascii")


def strerror(code: int) -> str:
    """A static description of a status code ("out of memory")."""
    return _ffi_ffi.string(_lib.cpw_strerror(code)).decode()


__all__ = [
    "__version__", "LIBRARY_PATH", "HEADER_VERSION", "strerror",
    # errors
    "Error", "OutOfMemory", "InvalidInput", "NotFound", "StateError", "VersionError",
    "LimitError", "PolicyError", "FileError", "Busy", "Corrupt", "AlreadyExists", "Denied",
    "TransitionRefused", "PlacementDenied", "Diagnostic",
    # eligibility
    "Policy", "Field", "Program", "Setting", "Record", "Decision", "Reason", "Benefit", "Outcome",
    "Columns",
    # cases
    "Workflow", "Caseload", "Case", "Deadline",
    # journal
    "Journal", "JournalInfo",
    # placements
    "Registry", "Placement", "Indicators", "EXIT_REASONS",
    # dates
    "Calendar", "add_months", "add_years", "age", "orthodox_easter", "parse_date",
    "parse_time", "format_time",
    # languages
    "set_language", "get_language", "languages", "language_name", "message", "format_date",
    "format_money",
    "format_number",
]
