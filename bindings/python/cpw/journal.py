# SPDX-License-Identifier: Apache-2.0
"""The durable, tamper-evident journal of case and placement events."""
from __future__ import annotations

import atexit
import os
import weakref
from dataclasses import dataclass
from typing import (TYPE_CHECKING, Any, Callable, Dict, Iterator, List, Mapping, Optional,
                    Union)

from ._common import (UTC, Ctx, ThreadCtx, TimeLike, cstr, own, pystr, str_of, seconds_to_time,
                      time_to_seconds)
from ._ffi import ffi, lib
from .errors import StateError, error_from
from .policy import Policy
from .placement import Registry
from .workflow import Case, Caseload, _FieldValues

__all__ = ["Journal", "JournalInfo", "JournalStatus"]

def _kind_name(kind: int) -> str:
    """The entry kind's name, from the library (cpw_journal_kind_name, 1.1), or this table with a
    1.0 library."""
    try:
        return str_of(lib.cpw_journal_kind_name(kind))
    except AttributeError:
        return {lib.CPW_JOURNAL_CASE_OPEN: "case_open", lib.CPW_JOURNAL_CASE_EVENT: "case_event",
                lib.CPW_JOURNAL_PLACEMENT: "placement",
                lib.CPW_JOURNAL_ANNOTATION: "annotation"}.get(kind, "unknown")


@dataclass(frozen=True)
class JournalInfo:
    """What opening or verifying a journal found: committed entries and commits, the head
    hash (the chain value after the last committed entry: keep a copy elsewhere to prove
    nothing was changed since), the file size, and an unfinished tail after the last commit
    (``truncated_bytes`` at ``truncated_at``; opening for writing cuts it off)."""
    head_hash: str
    entries: int
    commits: int
    file_bytes: int
    truncated_bytes: int
    truncated_at: Optional[int]


@dataclass(frozen=True)
class JournalStatus:
    """What :meth:`Journal.check_file` or :meth:`Journal.repair_file` found. ``info``: the
    committed part before any damage (its ``truncated_bytes`` are the bytes after it: an
    unfinished commit, or what a repair removes). ``tail_entries``: complete entries in an
    unfinished last commit (written, never acknowledged). ``damaged``: damage that is not an
    unfinished commit, at offset ``damaged_at`` in entry ``damaged_entry`` (entries counted as
    users see them); a writer refuses such a file until it is repaired."""
    info: JournalInfo
    tail_entries: int
    damaged: bool
    damaged_at: Optional[int]
    damaged_entry: Optional[int]


def _status(s) -> JournalStatus:
    return JournalStatus(_info(s.rec), s.tail_entries, bool(s.damaged),
                         s.damaged_at if s.damaged_at >= 0 else None,
                         s.damaged_entry if s.damaged else None)


def _info(r) -> JournalInfo:
    return JournalInfo(ffi.string(r.head_hash).decode("ascii"), r.entries, r.commits,
                       r.file_bytes, r.truncated_bytes,
                       r.truncated_at if r.truncated_at >= 0 else None)


def _entry_dict(e, tz) -> Dict[str, Any]:
    return {
        "seq": e.seq,
        "kind": _kind_name(e.kind),
        "at": seconds_to_time(e.at, tz),
        "actor": str_of(e.actor),
        "role": str_of(e.role),
        "subject": str_of(e.subject),
        "name": str_of(e.name),
        "fields": {str_of(e.fields[i].field): pystr(e.fields[i].value)
                   for i in range(e.nfields)},
    }


# one C callback for every journal: the payload is a handle to the Python receiver
@ffi.callback("int(const cpw_journal_entry *, void *)", onerror=lambda *a: 1)
def _on_entry(entry, payload):
    receiver = ffi.from_handle(payload)
    return receiver(entry)


class _Receiver:
    """Calls `fn(entry_dict)` for each entry; an exception stops the C loop (return 1) and is
    kept to be raised again once the C call has returned."""

    def __init__(self, fn: Callable[[Dict[str, Any]], Any], tz):
        self.fn = fn
        self.tz = tz
        self.error: Optional[BaseException] = None

    def __call__(self, entry) -> int:
        try:
            return 1 if self.fn(_entry_dict(entry, self.tz)) is False else 0
        except BaseException as e:  # noqa: B902 - re-raised by the caller
            self.error = e
            return 1


_OPEN: "weakref.WeakSet[Journal]" = weakref.WeakSet()


@atexit.register
def _close_open_journals() -> None:
    """At exit, close (and so commit) the journals the program left open, while every
    Python object their hooks use still exists."""
    for j in list(_OPEN):
        j._close_quietly()


class Journal:
    """An append-only journal file of case openings, case events, placement events and
    annotations, with a CRC32C and a SHA-256 chain over every entry, grouped into durable
    commits. Open it with :meth:`Journal.open`; use it as a context manager (pending entries
    are committed and the file closed on exit).

    Cases opened with :meth:`open_case` (in :attr:`caseload`) and placements made through
    :attr:`registry` are appended to the journal in the same call that changes them.

    Threads: the journal locks itself, so several threads may call :meth:`annotate`,
    :meth:`commit`, :meth:`entries` and :meth:`verify` on one journal at once; its
    :attr:`caseload` and :attr:`registry`, like every caseload and registry, belong to one
    thread at a time.
    """

    path: str
    policy: Optional[Policy]
    _ctx: Ctx
    _tctx: ThreadCtx
    _closed: bool
    _caseload: Optional[Caseload]
    _registry: Optional["Registry"]
    _tz: Any
    _hook: Optional[_Receiver]
    _hook_handle: Any
    _ptr: Any

    def __init__(self, *a, **k):
        raise TypeError("use cpw.Journal.open(path, policy=...)")

    @classmethod
    def open(cls, path: Union[str, os.PathLike], policy: Optional[Policy] = None, *,
             create: bool = True, group_commit: int = 0, readonly: bool = False,
             allow_policy_change: bool = False,
             hook: Optional[Callable[[Dict[str, Any]], Any]] = None) -> "Journal":
        """Open (or with `create`, create) the journal at `path` for `policy`.

        Every entry is read and verified; an unfinished tail after the last commit is cut
        off (see :attr:`recovery`).

        Args:
            policy: the policy the journal is written under (it must be the journal's own
                unless `allow_policy_change`: then a writer records the change in an
                annotation, and a reader, which records nothing, replays under it knowingly;
                :attr:`policy_hash` keeps the journal's own). May be None with `readonly`.
            create: create the file when it does not exist.
            group_commit: 0: every change is committed (durable) before the call returns;
                N > 0: entries wait in memory and are committed every N entries and on
                :meth:`commit` / close.
            readonly: read and verify only: no lock, no writes.
            hook: called with each entry (a dict, as from :meth:`entries`) once its commit is
                durable. It must not call the journal. If it raises, the call that committed
                raises that exception (the entries stay committed).

        Raises :class:`cpw.Busy` (another writer holds the file), :class:`cpw.Corrupt`
        (a bad checksum or broken chain), :class:`cpw.VersionError`,
        :class:`cpw.InvalidInput` (another policy), :class:`cpw.FileError`.
        """
        if policy is not None and not isinstance(policy, Policy):
            raise TypeError("policy must be a cpw.Policy")
        self = object.__new__(cls)
        self.path = os.fspath(path)
        self.policy = policy
        self._ctx = Ctx()          # the journal's own (cpw_journal_open's)
        self._tctx = ThreadCtx()   # per thread, for calls several threads may make at once
        self._closed = False
        self._caseload = None
        self._registry = None
        self._tz = policy.timezone if policy is not None else UTC
        opts = ffi.new("cpw_journal_options *")
        self._ctx.check(lib.cpw_journal_options_init(opts, lib.CPW_JOURNAL_OPTIONS_VERSION))
        flags = 0
        if create and not readonly:
            flags |= lib.CPW_JOURNAL_CREATE
        if readonly:
            flags |= lib.CPW_JOURNAL_READONLY
        if allow_policy_change:
            flags |= lib.CPW_JOURNAL_ALLOW_POLICY_CHANGE
        opts.flags = flags
        if group_commit < 0:
            raise ValueError("group_commit must be >= 0")
        opts.group_commit = group_commit
        self._hook = None
        self._hook_handle = None
        if hook is not None:
            if not callable(hook):
                raise TypeError("hook must be callable")
            self._hook = _Receiver(hook, self._tz)
            self._hook_handle = ffi.new_handle(self._hook)
            opts.hook = _on_entry
            opts.hook_payload = self._hook_handle
        out = ffi.new("cpw_journal **")
        rc = lib.cpw_journal_open(out, self._ctx.ptr, self.path.encode(),
                                  policy._ptr if policy is not None else ffi.NULL, opts)
        if rc == lib.CPW_EUSER:  # the hook of a policy-change annotation raised
            lib.cpw_journal_close(out[0])
            self._raise_hook_error(self._ctx)
        self._ctx.check(rc)
        keep = (self._ctx, policy._ptr if policy is not None else None, self._hook_handle)
        self._ptr = own(out[0], lib.cpw_journal_close, *keep)
        _OPEN.add(self)
        return self

    # ---------------------------------------------------------------- life
    def _live(self):
        if self._closed:
            raise StateError("the journal %s is closed" % self.path)
        return self._ptr

    def _raise_hook_error(self, ctx: Ctx):
        err = self._hook.error if self._hook is not None else None
        if self._hook is not None:
            self._hook.error = None
        if err is not None:
            raise err
        raise error_from(lib.CPW_EUSER, ctx.ptr)

    def commit(self) -> None:
        """Make every pending entry durable (write, fsync, then call the hook). On an I/O
        error the entries stay pending: retry later."""
        ctx = self._tctx.ctx
        rc = lib.cpw_journal_commit(self._live(), ctx.ptr)
        if rc == lib.CPW_EUSER:
            self._raise_hook_error(ctx)
        ctx.check(rc)

    def close(self) -> None:
        """Commit what is pending and close the file (releasing the writer lock). Closing
        twice is allowed. Cases and registries of the journal can no longer change."""
        if self._closed:
            return
        try:
            if lib.cpw_journal_pending(self._ptr):
                self.commit()
        finally:
            self._close_quietly()

    def _close_quietly(self) -> None:
        # cpw_journal_close commits what is pending (not reporting errors) and may call the
        # hook: done here, from close(), __del__ or at exit, never from a late destructor
        if not self._closed:
            self._closed = True
            _OPEN.discard(self)
            ffi.release(self._ptr)

    def __del__(self):
        if not getattr(self, "_closed", True) and hasattr(self, "_ptr"):
            self._close_quietly()

    @property
    def closed(self) -> bool:
        return self._closed

    def __enter__(self) -> "Journal":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return "<cpw.Journal %s%s>" % (self.path, " (closed)" if self._closed else "")

    # ---------------------------------------------------------------- state
    @property
    def pending(self) -> int:
        """Entries waiting for a commit."""
        return lib.cpw_journal_pending(self._live())

    @property
    def head_hash(self) -> str:
        """The chain value (64 hex digits) after the last committed entry."""
        return str_of(lib.cpw_journal_head_hash(self._live()))

    @property
    def policy_hash(self) -> str:
        """The content hash (hex) of the policy the journal belongs to: its header's, or the
        one its last recorded policy change names. A reader opened with another policy
        (``allow_policy_change=True``) sees the difference here."""
        return ffi.string(lib.cpw_journal_policy_hash(self._live())).decode("ascii")

    @property
    def recovery(self) -> JournalInfo:
        """What opening found and did (entries, commits, a cut-off tail), kept up to date by
        later commits."""
        return _info(lib.cpw_journal_recovery_info(self._live()))

    # ---------------------------------------------------------------- cases
    @property
    def caseload(self) -> Caseload:
        """The journal's caseload: the cases the journal holds (replayed when first used),
        whose changes are appended to the journal."""
        if self._caseload is None:
            if self.policy is None:
                raise StateError("a journal opened without a policy has no caseload")
            cl = self.replay()
            cl._journal = self
            self._caseload = cl
        return self._caseload

    def open_case(self, workflow: str, case_id: str, *, at: TimeLike, actor: str, role: str,
                  fields: Optional[Mapping[str, Any]] = None) -> Case:
        """Open a case in :attr:`caseload` and append the opening to the journal in the same
        call (see :meth:`cpw.Caseload.open_case`). Events applied to the returned case with
        :meth:`cpw.Case.apply` are journaled too."""
        return self.caseload.open_case(workflow, case_id, at=at, actor=actor, role=role,
                                       fields=fields)

    def case(self, case_id: str) -> Case:
        """A case of :attr:`caseload` (KeyError when there is none)."""
        return self.caseload[case_id]

    @property
    def registry(self) -> "Registry":
        """The journal's placement registry (replayed when first used), whose changes are
        appended to the journal."""
        if self._registry is None:
            reg = self.replay_registry()
            reg._journal = self
            self._registry = reg
        return self._registry

    def annotate(self, topic: str, *, at: TimeLike, actor: str, role: str = "",
                 subject: str = "", fields: Optional[Mapping[str, Any]] = None) -> None:
        """Append an annotation (a note, e.g. about a policy change: `topic`, with optional
        `subject` and text `fields`); committed now unless the journal groups commits."""
        ctx = self._tctx.ctx
        fv = _FieldValues(fields)
        e = ffi.new("cpw_journal_entry *")
        keep = [cstr(actor, "actor"), cstr(role, "role"), cstr(subject, "subject"),
                cstr(topic, "topic")]
        e.kind = lib.CPW_JOURNAL_ANNOTATION
        e.at = time_to_seconds(at, "at", ctx)
        e.actor, e.role, e.subject, e.name = keep
        e.fields, e.nfields = fv.arr, fv.n
        rc = lib.cpw_journal_append(self._live(), ctx.ptr, e)
        if rc == lib.CPW_EUSER:
            self._raise_hook_error(ctx)
        ctx.check(rc)

    # ---------------------------------------------------------------- reading
    def entries(self) -> Iterator[Dict[str, Any]]:
        """The committed entries in order, as dicts: seq, kind ("case_open", "case_event",
        "placement", "annotation"), at (aware datetime), actor, role, subject, name and
        fields (name -> text, None for missing). Read when called (the whole journal)."""
        out: List[Dict[str, Any]] = []
        rec = _Receiver(out.append, self._tz)
        h = ffi.new_handle(rec)
        ctx = self._tctx.ctx
        rc = lib.cpw_journal_foreach(self._live(), ctx.ptr, _on_entry, h)
        if rec.error is not None:
            raise rec.error
        ctx.check(rc)
        return iter(out)

    def replay(self) -> Caseload:
        """A new caseload rebuilt from the journal's committed case entries (deterministic:
        same states, fields and deadlines). Not journaled: changes to it are not appended.
        :class:`cpw.Corrupt` names an entry the policy refuses."""
        if self.policy is None:
            raise StateError("replaying cases needs the policy: open the journal with one")
        cl = Caseload(self.policy)
        cl._ctx.check(lib.cpw_journal_replay(self._live(), cl._ptr))
        return cl

    def replay_registry(self) -> "Registry":
        """A new placement registry rebuilt from the journal's committed placement entries
        (not journaled)."""
        if self.policy is None:
            raise StateError("replaying placements needs the policy: open the journal with one")
        reg = Registry(self.policy)
        reg._ctx.check(lib.cpw_journal_replay_registry(self._live(), reg._ptr))
        return reg

    def verify(self) -> JournalInfo:
        """Verify the file from disk (header, every checksum, the whole chain), as an auditor
        would; pending entries are not in it yet (call :meth:`commit` first)."""
        self._live()
        return Journal.verify_file(self.path)

    @staticmethod
    def verify_file(path: Union[str, os.PathLike]) -> JournalInfo:
        """Verify a journal file without opening it for writing. Raises
        :class:`cpw.Corrupt` naming the damaged entry and its offset."""
        ctx = Ctx()
        info = ffi.new("cpw_journal_recovery *")
        ctx.check(lib.cpw_journal_verify(ctx.ptr, os.fspath(path).encode(), info))
        return _info(info)

    @staticmethod
    def check_file(path: Union[str, os.PathLike]) -> JournalStatus:
        """Check a journal file without changing it and say what it holds: an intact journal,
        one with an unfinished last commit (``info.truncated_bytes`` and ``tail_entries``),
        or a damaged one (``damaged``, ``damaged_at``, ``damaged_entry``). Unlike
        :meth:`verify_file` damage is reported, not raised; I/O errors raise."""
        ctx = Ctx()
        st = ffi.new("cpw_journal_status *")
        st.version = lib.CPW_JOURNAL_STATUS_VERSION
        rc = lib.cpw_journal_check(ctx.ptr, os.fspath(path).encode(), st)
        if rc != lib.CPW_ECORRUPT or not st.damaged or st.damaged_at == 0:
            ctx.check(rc)
        return _status(st)

    @staticmethod
    def repair_file(path: Union[str, os.PathLike],
                    aside: Union[str, os.PathLike]) -> JournalStatus:
        """Repair a damaged journal, explicitly: cut it at the end of the last valid commit
        before the damage (or before an unfinished last commit), after writing the removed
        bytes to ``aside``, a new file (it must not exist). Entries committed after the damage
        are among the removed bytes. The journal must not be open for writing. Returns what
        was found; ``info.file_bytes`` is the size after the repair."""
        ctx = Ctx()
        st = ffi.new("cpw_journal_status *")
        st.version = lib.CPW_JOURNAL_STATUS_VERSION
        ctx.check(lib.cpw_journal_repair(ctx.ptr, os.fspath(path).encode(),
                                         os.fspath(aside).encode(), st))
        return _status(st)
