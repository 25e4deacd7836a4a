/* SPDX-License-Identifier: Apache-2.0 */
/* cpw/journal.h: the durable, tamper-evident journal of case and placement events. */
#ifndef CPW_JOURNAL_H
#define CPW_JOURNAL_H

#include "common.h"
#include "policy.h"
#include "workflow.h"

CPW_BEGIN_DECL

/**
 * A journal: an append-only file of entries (case openings, case events, placement events,
 * annotations), each with a CRC32C and a SHA-256 chain value over the previous entry's chain
 * value and its own bytes, grouped into commits that are durable (fsync) before
 * cpw_journal_commit returns. The byte layout is in docs/journal-format.md.
 *
 * One writer per file: opening for writing takes an exclusive advisory lock (flock); a second
 * writer gets CPW_EBUSY. Threads: every function that takes a journal locks it, so several
 * threads may append through one handle; each call reports errors in the context passed to it
 * when there is one, else in the journal's own context (then read the error before another
 * thread calls). A custom allocator must itself be thread-safe if threads share a journal.
 */
typedef struct cpw_journal cpw_journal;

/** The kinds of journal entries. */
typedef enum cpw_journal_kind {
  CPW_JOURNAL_CASE_OPEN = 1,    /**< a case opened: subject = case id, name = workflow */
  CPW_JOURNAL_CASE_EVENT = 2,   /**< an accepted case event: subject = case id, name = event */
  CPW_JOURNAL_PLACEMENT = 3,    /**< a placement event: subject = child id, name = event */
  CPW_JOURNAL_ANNOTATION = 4    /**< a note (e.g. a policy change): name = topic */
} cpw_journal_kind;

/** The name of an entry kind: "case_open", "case_event", "placement", "annotation", or
 *  "unknown" (CPW_1.1). */
CPW_API const char *cpw_journal_kind_name(int kind);

/** One entry, as appended or read back. Strings are UTF-8 (at most 65534 bytes each). */
typedef struct cpw_journal_entry {
  int kind;                       /**< cpw_journal_kind */
  uint64_t seq;                   /**< entry number, from 1 (set by the journal) */
  cpw_time at;                    /**< when it happened */
  const char *actor;              /**< who (an id, never a name) */
  const char *role;
  const char *subject;            /**< case id or child id */
  const char *name;               /**< event name, workflow, or annotation topic */
  const cpw_field_value *fields;  /**< values as text; value NULL = missing (a name is never
                                       NULL) */
  size_t nfields;
} cpw_journal_entry;

/** Called once per entry after its commit is durable, in order. Return 0 to go on; any other
 *  value makes cpw_journal_commit return CPW_EUSER (the entries stay committed). */
typedef int (*cpw_journal_hook)(const cpw_journal_entry *entry, void *payload);

#define CPW_JOURNAL_CREATE 1u              /**< create the file if it does not exist */
#define CPW_JOURNAL_READONLY 2u            /**< read and verify only: no lock, no writes */
#define CPW_JOURNAL_ALLOW_POLICY_CHANGE 4u /**< accept a policy other than the journal's (a
                                                writer records the change in an annotation;
                                                a reader records nothing) */
#define CPW_JOURNAL_SALVAGE 8u             /**< with CPW_JOURNAL_READONLY: a damaged journal
                                                opens as the commits before the damage
                                                (recovery info: truncated_at, truncated_bytes
                                                say where it stops; cpw_journal_check says
                                                why). Since 1.1 (1.0 refuses the flag). */

typedef struct cpw_journal_options {
  unsigned int version;          /**< CPW_JOURNAL_OPTIONS_VERSION */
  unsigned int flags;            /**< CPW_JOURNAL_* */
  /** 0: every case/placement call commits its entry before returning (durable, slowest).
   *  N > 0: group commit: entries wait in memory and are committed every N entries and on
   *  cpw_journal_commit; until then they are not durable. */
  size_t group_commit;
  cpw_journal_hook hook;         /**< mirror of committed entries, or NULL */
  void *hook_payload;
} cpw_journal_options;

#define CPW_JOURNAL_OPTIONS_VERSION 1
#define CPW_JOURNAL_OPTIONS_INIT { CPW_JOURNAL_OPTIONS_VERSION, 0, 0, 0, 0 }

/** Fill `opts` with the defaults of options `version`: CPW_EVERSION if it is 0 or newer than
 *  this library, CPW_EINVALID for NULL. */
CPW_API int cpw_journal_options_init(cpw_journal_options *opts, unsigned int version);

/** What opening found and did. */
typedef struct cpw_journal_recovery {
  uint64_t entries;           /**< committed entries (commit markers not counted) */
  uint64_t commits;
  int64_t truncated_bytes;    /**< bytes of an unfinished tail cut off (0 if none) */
  int64_t truncated_at;       /**< the offset the file was cut at (-1 if not cut) */
  uint64_t file_bytes;        /**< the file size after recovery */
  char head_hash[65];         /**< the chain value of the last committed entry (hex) */
} cpw_journal_recovery;

/**
 * Open (or with CPW_JOURNAL_CREATE create) the journal at `path` for `policy` (which must
 * outlive it). Every entry is read and verified; an unfinished tail after the last commit is
 * cut off and reported in cpw_journal_recovery_info(); a bad checksum or a broken chain before it is
 * CPW_ECORRUPT naming the entry and its offset, and nothing is changed. A newer format is
 * CPW_EVERSION; another policy than the journal's (the header's, or the last recorded change's)
 * is CPW_EINVALID unless CPW_JOURNAL_ALLOW_POLICY_CHANGE, for a reader too (replay would judge
 * the entries by other rules). Another writer: CPW_EBUSY. I/O: CPW_EIO (os_error tells
 * ENOSPC, EACCES, EROFS, ...; EISDIR or EINVAL for a path that is not a regular file, which
 * is refused without blocking, a FIFO included). A new file is written, fsynced, and its directory fsynced
 * before this returns. `policy` may be NULL with CPW_JOURNAL_READONLY. Unknown flag bits are
 * CPW_EINVALID.
 */
CPW_API int cpw_journal_open(cpw_journal **out, cpw_ctx *ctx, const char *path,
                             const cpw_policy *policy, const cpw_journal_options *opts);

/** Commit what is pending (errors are not reported: call cpw_journal_commit first to see
 *  them), release the lock and free the handle. NULL is allowed. */
CPW_API void cpw_journal_close(cpw_journal *j);

/** What opening found (borrowed from the journal; updated by every commit). */
CPW_API const cpw_journal_recovery *cpw_journal_recovery_info(const cpw_journal *j);

/** Append an annotation (kind CPW_JOURNAL_ANNOTATION; at, actor, role, subject, name = the
 *  topic, fields; seq is set). With group_commit 0 it is committed before returning. Every
 *  entry names its actor: an empty actor id, or one with a control character or a space at
 *  either end, is CPW_EINVALID, as are bad strings. Case and placement entries are refused
 *  (CPW_EINVALID): they are written by cpw_journal_case_open, cpw_journal_case_apply and the
 *  placement functions below, which check them as the engines do, so that a journal that
 *  verifies always replays. The topic "policy_changed" is the journal's own (see
 *  CPW_JOURNAL_ALLOW_POLICY_CHANGE): refused. */
CPW_API int cpw_journal_append(cpw_journal *j, cpw_ctx *ctx, const cpw_journal_entry *entry);

/** Make every pending entry durable: write, fsync, then call the hook. On an I/O error the
 *  file is cut back to the last commit and the entries stay pending (retry later). */
CPW_API int cpw_journal_commit(cpw_journal *j, cpw_ctx *ctx);

/** Entries waiting for a commit. */
CPW_API size_t cpw_journal_pending(const cpw_journal *j);

/** The chain value (hex) after the last committed entry: compare it with a copy kept
 *  elsewhere to show nothing was changed since. */
CPW_API const char *cpw_journal_head_hash(const cpw_journal *j);

/** The content hash (hex) of the policy the journal belongs to: its header's, or the one the
 *  last committed policy change names (CPW_1.1). A journal opened with another policy (with
 *  CPW_JOURNAL_ALLOW_POLICY_CHANGE) shows the difference here: a reader records no change,
 *  a writer records one and this becomes the new policy's hash. NULL for NULL. */
CPW_API const char *cpw_journal_policy_hash(const cpw_journal *j);

/* ---- cases through the journal: apply and append in one call ---- */

/** cpw_caseload_open, with the opening appended to the journal. If the append (or, without
 *  group commit, the commit) fails, no case is opened and the error is returned. */
CPW_API int cpw_journal_case_open(cpw_journal *j, cpw_caseload *cl, cpw_case **out,
                                  const char *case_id, const char *workflow,
                                  const cpw_field_value *fields, size_t nfields, cpw_time at,
                                  const char *actor, const char *role);

/** cpw_case_apply, with an accepted event appended in the same call: if the append fails the
 *  case is unchanged and the error is returned. Refused events are not journaled (CPW_EDENIED
 *  as from cpw_case_apply). */
CPW_API int cpw_journal_case_apply(cpw_journal *j, cpw_case *c, const char *event,
                                   const char *actor, const char *role, cpw_time at,
                                   const cpw_field_value *fields, size_t nfields);

/* ---- placements through the journal: check, append, then apply ---- */
struct cpw_registry;
struct cpw_placement_request;

/** cpw_registry_add_facility / _add_child / _place / _move / _end / _review, each appended to
 *  the journal in the same call: a denial or error changes nothing and writes nothing; if the
 *  append fails the registry is unchanged and the error is returned. */
CPW_API int cpw_journal_add_facility(cpw_journal *j, struct cpw_registry *reg, const char *id,
                                     const char *setting, const char *name, const char *region,
                                     int capacity, int min_age, int max_age);
CPW_API int cpw_journal_add_child(cpw_journal *j, struct cpw_registry *reg, const char *child,
                                  cpw_date birth_date, const char *sibling_group);
CPW_API int cpw_journal_place(cpw_journal *j, struct cpw_registry *reg,
                              const struct cpw_placement_request *req);
CPW_API int cpw_journal_move(cpw_journal *j, struct cpw_registry *reg,
                             const struct cpw_placement_request *req);
CPW_API int cpw_journal_end_placement(cpw_journal *j, struct cpw_registry *reg,
                                      const char *child, cpw_date date, int reason,
                                      const char *actor, const char *role);
CPW_API int cpw_journal_review_placement(cpw_journal *j, struct cpw_registry *reg,
                                         const char *child, cpw_date date, const char *actor,
                                         const char *role);

/** Rebuild a registry (new, of the same policy) from the journal's placement entries. */
CPW_API int cpw_journal_replay_registry(cpw_journal *j, struct cpw_registry *reg);

/* ---- reading ---- */

/** Call `fn` for every committed entry in order (fn returns non-zero to stop: CPW_EUSER). */
CPW_API int cpw_journal_foreach(cpw_journal *j, cpw_ctx *ctx,
                                int (*fn)(const cpw_journal_entry *entry, void *payload),
                                void *payload);

/** Rebuild cases: apply every case opening and case event of the journal to `cl` (an empty
 *  caseload of the same policy). Deterministic: the same journal gives the same states,
 *  fields and deadlines. An entry the caseload refuses is CPW_ECORRUPT naming it. */
CPW_API int cpw_journal_replay(cpw_journal *j, cpw_caseload *cl);

/** Verify a journal file without opening it for writing: header, every CRC and the whole
 *  chain; fills `info` (head hash, entries, commits; truncated_bytes reports an unfinished
 *  tail, which is not cut). Damage that is not an unfinished last commit is CPW_ECORRUPT
 *  naming the first damaged entry and its offset (docs/journal-format.md gives the rules). */
CPW_API int cpw_journal_verify(cpw_ctx *ctx, const char *path, cpw_journal_recovery *info);

/* ---- checking and repairing (CPW_1.1) ---- */

/** What cpw_journal_check or cpw_journal_repair found: a versioned struct (set `version` to
 *  CPW_JOURNAL_STATUS_VERSION, or use CPW_JOURNAL_STATUS_INIT); later versions grow at the end. */
typedef struct cpw_journal_status {
  unsigned int version;       /**< CPW_JOURNAL_STATUS_VERSION */
  /** Entries, commits and head hash of the committed part before any damage; file_bytes: the
   *  file's size (after a repair, the size it was cut to); truncated_bytes and truncated_at:
   *  the bytes after that part (an unfinished commit, or what a repair removes), 0 and -1 if
   *  none. */
  cpw_journal_recovery rec;
  /** Complete entries in an unfinished last commit: written, never acknowledged (0 when the
   *  file is damaged). */
  uint64_t tail_entries;
  int damaged;                /**< 1: damage, not an unfinished last commit (CPW_ECORRUPT) */
  int64_t damaged_at;         /**< the offset of the first damaged entry (0: the header), or -1 */
  uint64_t damaged_entry;     /**< its number (commit markers not counted), or 0 */
} cpw_journal_status;

#define CPW_JOURNAL_STATUS_VERSION 1
#define CPW_JOURNAL_STATUS_INIT { CPW_JOURNAL_STATUS_VERSION, { 0, 0, 0, 0, 0, { 0 } }, 0, 0, 0, 0 }

/**
 * cpw_journal_verify with the details: fills `st` (whose version must be set) and returns
 * CPW_OK for an intact journal, with or without an unfinished last commit (then
 * st->rec.truncated_bytes > 0 and st->tail_entries says how many complete entries those bytes
 * hold), or CPW_ECORRUPT for damage, with st->damaged_* naming it and st->rec what a repair
 * would keep. Reads only; takes no lock. CPW_EIO, CPW_ENOMEM, CPW_EVERSION (a newer format,
 * or st->version 0 or newer than this library), CPW_EINVALID for NULL.
 */
CPW_API int cpw_journal_check(cpw_ctx *ctx, const char *path, cpw_journal_status *st);

/**
 * Repair a damaged journal, explicitly: cut the file at the end of the last valid commit
 * before the damage (or before an unfinished last commit), after writing the bytes removed to
 * `aside_path`, a new file (0600; CPW_EINVALID if it exists) made durable before the cut.
 * Entries committed after the damage are among the removed bytes: they are kept there, not in
 * the journal. Takes the writer's lock (CPW_EBUSY if a writer has the journal open). Fills
 * `st` as cpw_journal_check does for the file before the repair, except st->rec.file_bytes,
 * the size after it. Nothing to cut: CPW_OK and no file is written. A damaged header:
 * CPW_ECORRUPT (nothing can be kept).
 */
CPW_API int cpw_journal_repair(cpw_ctx *ctx, const char *path, const char *aside_path,
                               cpw_journal_status *st);

CPW_END_DECL

#endif
