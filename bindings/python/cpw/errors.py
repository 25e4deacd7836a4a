# SPDX-License-Identifier: Apache-2.0
"""The exceptions of the cpw package, one class per libcpw status code.

Every C call that fails raises a subclass of :class:`Error`, built from the context's last
error (``cpw_ctx_last_error``): the status code, the message, and where there is one the file,
line, column, byte offset and operating-system error number. The classes also derive from the
matching built-in exception where there is one, so ``except ValueError`` catches
:class:`InvalidInput` and ``except OSError`` catches :class:`FileError`.
"""
from __future__ import annotations

from typing import List, Optional

from ._ffi import ffi, lib

__all__ = [
    "Error", "OutOfMemory", "InvalidInput", "NotFound", "StateError", "VersionError",
    "LimitError", "PolicyError", "FileError", "Busy", "Corrupt", "AlreadyExists", "Denied",
    "TransitionRefused", "PlacementDenied", "Diagnostic",
]


class Error(Exception):
    """A libcpw error.

    Attributes:
        code: the ``cpw_status`` (a negative int, e.g. -3 for ``CPW_EINVALID``).
        status: its name (``"CPW_EINVALID"``).
        message: the library's one-line message (no personal data beyond ids).
        file, line, column: where in a policy or journal file, when known (else None).
        offset: a byte offset in ``file`` (journal entries), else None.
        os_error: the ``errno`` of an I/O error, else None.
    """

    default_code = lib.CPW_ERROR

    def __init__(self, message: str, code: Optional[int] = None, *, file: Optional[str] = None,
                 line: Optional[int] = None, column: Optional[int] = None,
                 offset: Optional[int] = None, os_error: Optional[int] = None):
        super().__init__(message)
        self.message = message
        self.code = self.default_code if code is None else code
        self.file = file
        self.line = line
        self.column = column
        self.offset = offset
        self.os_error = os_error

    @property
    def status(self) -> str:
        return status_name(self.code)

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = self.file
            if self.line:
                where += ":%d" % self.line
                if self.column:
                    where += ":%d" % self.column
            where += ": "
        return where + self.message


class OutOfMemory(Error, MemoryError):
    """CPW_ENOMEM: an allocation failed; every object is left as it was."""
    default_code = lib.CPW_ENOMEM


class InvalidInput(Error, ValueError):
    """CPW_EINVALID: a bad argument or malformed input (a date, a value, a name).

    Also raised by the bindings themselves for values they cannot convert, such as a naive
    datetime (without a time zone)."""
    default_code = lib.CPW_EINVALID


class NotFound(Error, LookupError):
    """CPW_ENOTFOUND: a named thing (programme, field, case, event, child) does not exist."""
    default_code = lib.CPW_ENOTFOUND


class StateError(Error):
    """CPW_ESTATE: refused in the current state (a child placed already, a closed journal)."""
    default_code = lib.CPW_ESTATE


class VersionError(Error):
    """CPW_EVERSION: a file format or options version this library cannot use."""
    default_code = lib.CPW_EVERSION


class LimitError(Error):
    """CPW_ELIMIT: a size or evaluation limit was reached."""
    default_code = lib.CPW_ELIMIT


class Diagnostic:
    """One compile diagnostic of a policy: severity ("error" or "warning"), file, line,
    column and message."""

    __slots__ = ("severity", "file", "line", "column", "message")

    def __init__(self, severity: str, file: str, line: int, column: int, message: str):
        self.severity = severity
        self.file = file
        self.line = line
        self.column = column
        self.message = message

    def __repr__(self) -> str:
        return "Diagnostic(%r, %r, %d, %d, %r)" % (self.severity, self.file, self.line,
                                                   self.column, self.message)

    def __str__(self) -> str:
        return "%s:%d:%d: %s: %s" % (self.file, self.line, self.column, self.severity,
                                     self.message)

    def __eq__(self, other):
        if not isinstance(other, Diagnostic):
            return NotImplemented
        return all(getattr(self, a) == getattr(other, a) for a in self.__slots__)

    __hash__ = None  # type: ignore[assignment]


class PolicyError(Error):
    """CPW_EPOLICY: a policy text failed to compile.

    ``file``, ``line`` and ``column`` locate the first error; ``diagnostics`` lists every
    error and warning of the compile (:class:`Diagnostic`)."""
    default_code = lib.CPW_EPOLICY

    def __init__(self, message: str, code: Optional[int] = None, *,
                 diagnostics: Optional[List[Diagnostic]] = None, **kw):
        super().__init__(message, code, **kw)
        self.diagnostics: List[Diagnostic] = list(diagnostics or [])


class FileError(Error, OSError):
    """CPW_EIO: an operating-system I/O error. ``os_error`` (also ``errno``) is its errno.
    ``cpw.IOError`` is the same class (its first name, kept for old code; it is not in
    ``__all__``, where it would hide the builtin ``IOError``)."""
    default_code = lib.CPW_EIO

    def __init__(self, message: str, code: Optional[int] = None, **kw):
        Error.__init__(self, message, code, **kw)
        self.errno = self.os_error  # type: ignore[assignment]
        self.strerror = message
        self.filename = self.file

    def __str__(self) -> str:
        return Error.__str__(self)


class Busy(Error):
    """CPW_EBUSY: the resource is held by someone else (another writer has the journal)."""
    default_code = lib.CPW_EBUSY


class Corrupt(Error):
    """CPW_ECORRUPT: stored data failed verification (checksum, hash chain, structure);
    ``offset`` gives the damaged entry's byte offset when known."""
    default_code = lib.CPW_ECORRUPT


class AlreadyExists(Error):
    """CPW_EEXISTS: an object with this id already exists (a case, a child, a facility)."""
    default_code = lib.CPW_EEXISTS


class Denied(Error):
    """CPW_EDENIED: refused by a rule (the base of the two below)."""
    default_code = lib.CPW_EDENIED


class TransitionRefused(Denied):
    """A case event was refused; nothing changed.

    Attributes:
        reason: "no_transition", "role", "guard", "final" or "time".
        explanation: the library's explanation ("guard failed: active_services is 2, but
            must be 0").
        event, state: the refused event and the case's (unchanged) state.
    """

    def __init__(self, message: str, code: Optional[int] = None, *, reason: str = "",
                 explanation: str = "", event: str = "", state: str = "", **kw):
        super().__init__(message, code, **kw)
        self.reason = reason
        self.explanation = explanation
        self.event = event
        self.state = state


class PlacementDenied(Denied):
    """A placement was denied by the policy's gatekeeping rules; nothing changed.
    ``explanation`` gives the rule's reasons."""

    def __init__(self, message: str, code: Optional[int] = None, *, explanation: str = "",
                 **kw):
        super().__init__(message, code, **kw)
        self.explanation = explanation


_CLASSES = {
    lib.CPW_ENOMEM: OutOfMemory,
    lib.CPW_EINVALID: InvalidInput,
    lib.CPW_ENOTFOUND: NotFound,
    lib.CPW_ESTATE: StateError,
    lib.CPW_EVERSION: VersionError,
    lib.CPW_ELIMIT: LimitError,
    lib.CPW_EPOLICY: PolicyError,
    lib.CPW_EIO: FileError,
    lib.CPW_EBUSY: Busy,
    lib.CPW_ECORRUPT: Corrupt,
    lib.CPW_EEXISTS: AlreadyExists,
    lib.CPW_EDENIED: Denied,
}


def status_name(code: int) -> str:
    """The name of a status code ("CPW_ENOTFOUND"), or "CPW_<code>" for an unknown one."""
    name = ffi.string(ffi.cast("cpw_status", code))
    return name if name.startswith("CPW_") else "CPW_%d" % code


def _str(p) -> Optional[str]:
    return ffi.string(p).decode("utf-8", "replace") if p != ffi.NULL else None


def error_from(rc: int, ctx, cls=None, **extra) -> Error:
    """The exception for status `rc`, with the details of `ctx`'s last error (a cdata
    ``cpw_ctx *``, or None). `cls` overrides the class chosen by the code."""
    kw = {}
    e = lib.cpw_ctx_last_error(ctx) if ctx is not None else None
    if e is not None and e.code == rc:
        message = _str(e.message) or ""
        kw = dict(file=_str(e.file), line=e.line or None, column=e.column or None,
                  offset=e.offset if e.offset >= 0 else None, os_error=e.os_error or None)
    else:
        message = ffi.string(lib.cpw_strerror(rc)).decode()
    if not message:
        message = ffi.string(lib.cpw_strerror(rc)).decode()
    kw.update(extra)
    if cls is None:
        cls = _CLASSES.get(rc, Error)
    return cls(message, rc, **kw)


def check(rc: int, ctx) -> int:
    """Raise the exception for `rc` when it is negative; return it otherwise."""
    if rc < 0:
        raise error_from(rc, ctx)
    return rc


IOError = FileError  # noqa: A001 - the first name of FileError, kept for old code
