"""The files of one resumable run: lock, configuration check, resume, and writing in a crash-safe order.

See :mod:`claimx.job` for the files and what each holds.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any

from ..config import SPEED_ONLY, ExtractorConfig
from ..errors import ClaimxError, ConfigError, OutputError
from ..io import read_claims, write_claims
from .records import json_line, nonempty, read_records, rewrite, sync
from .resume import Resumed, keep_finished

logger = logging.getLogger(__name__)


class JobOutput:
    """The files of one resumable run (see :mod:`claimx.job`).

    ``restart=True`` starts the output afresh instead of resuming it. ``settings`` are
    the job's own choices that shape what is written besides the extractor's
    configuration (the CLI's ``--only``, ``--min-score``, ``--id-from``): written to
    the ``[job]`` table of ``OUT.config.toml`` and checked on resume like the config.
    """

    def __init__(self, path: str | Path, *, restart: bool = False, settings: Mapping[str, Any] | None = None) -> None:
        self.path = Path(path)
        if self.path.suffix not in {".jsonl", ".csv", ".parquet"}:
            raise ConfigError(f"output must end in .jsonl, .csv or .parquet, got {self.path.name!r}")
        # Side files are named after the whole output name, so out.jsonl and out.csv never share one.
        self.journal = self.path if self.path.suffix == ".jsonl" else Path(f"{self.path}.journal.jsonl")
        self.errors = Path(f"{self.path}.errors.jsonl")
        self.manifest = Path(f"{self.path}.documents.jsonl")
        self.config_file = Path(f"{self.path}.config.toml")
        self.lock_file = Path(f"{self.path}.lock")
        self.legacy_done = Path(f"{self.path}.done")  # the resume record of claimx before the manifest
        self.restart = restart
        self.settings = dict(settings or {})
        self._lock: Any = None
        self._state: Resumed | None = None
        self._claims: IO[str] | None = None
        self._errors: IO[str] | None = None
        self._manifest: IO[str] | None = None

    def _data_files(self) -> list[Path]:
        return list(dict.fromkeys([self.path, self.journal, self.errors, self.manifest, self.config_file]))

    def files(self) -> list[Path]:
        """Every file a run writes or may leave behind (none of them may be read as input)."""
        data = [*self._data_files(), self.legacy_done]
        return [*data, self.lock_file, *(p.with_name(p.name + ".tmp") for p in data)]

    def open(self, config: ExtractorConfig | None = None) -> Resumed:
        """Lock the output, check ``config`` against the one it was written with, and resume.

        Returns what earlier runs finished; a second call returns the same.
        Raises OutputError when another run holds the output, when it holds claims of
        another configuration, or when it exists but was not written by a claimx run.
        """
        if self._state is not None:
            return self._state
        from filelock import FileLock, Timeout

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            lock = FileLock(str(self.lock_file), timeout=0)
            lock.acquire()
        except Timeout as e:
            raise OutputError(
                f"another claimx run is writing {self.path} (it holds {self.lock_file.name}); "
                "wait for it to finish or choose another -o"
            ) from e
        except OSError as e:
            raise OutputError(f"cannot write beside {self.path}: {e}") from e
        self._lock = lock
        try:
            if self.restart:
                for p in (*self._data_files(), self.legacy_done):
                    p.unlink(missing_ok=True)
                self.restart = False  # once: a later open resumes what this run wrote
            self._refuse_foreign()
            state, kept = self._recover()
            if config is not None:
                self._check_config(config, finished=kept)
            self._claims = self.journal.open("a", encoding="utf-8")
            self._errors = self.errors.open("a", encoding="utf-8")
            self._manifest = self.manifest.open("a", encoding="utf-8")
        except OSError as e:  # a file of the output is a folder, read-only, on a full disk: nothing to resume
            self.close()
            raise OutputError(f"cannot write {self.path} and the files beside it: {e}; choose another -o") from e
        except BaseException:
            self.close()
            raise
        self._state = state
        return state

    def _refuse_foreign(self) -> None:
        if self.manifest.exists():
            return
        found = [p for p in (self.path, self.journal, self.errors, self.legacy_done) if nonempty(p)]
        if found:
            older = " (or by a claimx older than the manifest)" if self.legacy_done.exists() else ""
            raise OutputError(
                f"{found[0]} exists but was not written by a resumable claimx run{older}: "
                f"there is no {self.manifest.name}; pass --restart to replace it, or choose another -o"
            )

    def _recover(self) -> tuple[Resumed, int]:
        """Drop records of unfinished documents (and stale ones of model failures, tried again)."""
        state, manifest, claims, errors = keep_finished(
            read_records(self.manifest), read_records(self.journal), read_records(self.errors)
        )
        for path, lines in ((self.journal, claims), (self.errors, errors), (self.manifest, manifest)):
            # Kept lines are a subsequence of the file's: the same size means nothing to drop.
            if path.exists() and path.stat().st_size != sum(len(line.encode("utf-8")) for line in lines):
                logger.info("resuming %s: keeping %d records of finished documents", path, len(lines))
                rewrite(path, lines)
        return state, len(state.done) + sum(state.duplicates.values())

    def _check_config(self, config: ExtractorConfig, finished: int) -> None:
        now = {**config.to_dict(), "job": self.settings}
        if finished and self.config_file.exists():
            try:
                stored = {
                    **ExtractorConfig.from_file(self.config_file).to_dict(),
                    "job": {**self.settings, **stored_job_settings(self.config_file)},
                }
            except ClaimxError as e:
                raise OutputError(f"{e}; pass --restart to start {self.path} afresh") from e
            changes = _differences(stored, now)
            if changes:
                raise OutputError(
                    f"{self.path} holds claims made with another configuration ({'; '.join(changes)}); "
                    f"re-run with the options it was started with (see {self.config_file.name}), "
                    "pass --restart to start it afresh, or choose another -o"
                )
            return
        import tomli_w

        tmp = self.config_file.with_name(self.config_file.name + ".tmp")
        tmp.write_text(tomli_w.dumps(now if self.settings else config.to_dict()), encoding="utf-8")
        os.replace(tmp, self.config_file)

    def write(self, record: dict[str, Any], claim_lines: str = "", error: dict[str, Any] | None = None) -> None:
        """Write one document's claims (``claim_lines``, as :func:`claimx.io.claim_line` renders
        them) and error record, then its manifest line (in that order).

        Claims reach the disk (fsync) before the manifest line is written. The manifest
        line carries the error too, so the errors file (a view for people) and the
        manifest line itself need only reach the OS: a killed process loses nothing, and
        a manifest line lost in a power cut only means the document is done again.
        """
        assert self._claims and self._errors and self._manifest, "call open() first"
        if claim_lines:
            self._claims.write(claim_lines)
            sync(self._claims)
        if error is not None:
            self._errors.write(json_line(error))
            self._errors.flush()
        self._manifest.write(json_line(record))
        self._manifest.flush()

    def _close_files(self) -> None:
        for f in (self._claims, self._errors, self._manifest):
            if f is not None:
                f.close()
        self._claims = self._errors = self._manifest = None

    def close(self) -> None:
        """Close the files and release the lock (a later open resumes)."""
        self._close_files()
        self._state = None
        if self._lock is not None:
            # Removed while still held: a run that starts meanwhile finds it locked or gone, never stale.
            self.lock_file.unlink(missing_ok=True)
            self._lock.release()
            self._lock = None

    def finish(self) -> None:
        """Drop records a retry replaced, write the CSV/Parquet table from the journal (atomically), then close.

        Raises OutputError rather than replace a table with one lacking documents it held.
        """
        try:
            self._close_files()
            self._recover()
            if self.journal != self.path:
                claims = read_claims(self.journal)
                _check_no_loss(self.path, claims)
                tmp = self.path.with_name(f".{self.path.stem}.tmp{self.path.suffix}")
                write_claims(claims, tmp)
                os.replace(tmp, self.path)
        finally:
            self.close()


def stored_job_settings(config_file: Path) -> dict[str, Any]:
    """The ``[job]`` table of a written ``OUT.config.toml`` (empty when there is none)."""
    import tomllib

    try:
        job = tomllib.loads(config_file.read_text(encoding="utf-8")).get("job", {})
    except (OSError, UnicodeDecodeError, ValueError):
        return {}
    return dict(job) if isinstance(job, dict) else {}


def _check_no_loss(table: Path, claims: list[Any]) -> None:
    if not nonempty(table):
        return
    try:
        before = {c.doc_id for c in read_claims(table)}
    except Exception:  # an unreadable table holds nothing to keep
        return
    lost = sorted(before - {c.doc_id for c in claims})
    if lost:
        raise OutputError(
            f"not replacing {table}: it holds claims of {len(lost)} documents its journal lacks "
            f"(e.g. {lost[0]!r}); pass --restart to rebuild it, or choose another -o"
        )


def _flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(data, dict):
        return {k: v for key, value in data.items() for k, v in _flatten(value, f"{prefix}{key}.").items()}
    return {prefix[:-1]: data}


def _differences(before: dict[str, Any], now: dict[str, Any]) -> list[str]:
    """``field: old -> new`` for every field that shapes claims and differs."""
    old, new = _flatten(before), _flatten(now)
    out = []
    for key in sorted(set(old) | set(new)):
        if key.split(".")[0] in SPEED_ONLY or old.get(key) == new.get(key):
            continue
        shown = [_short(d[key]) if key in d else "(default)" for d in (old, new)]
        out.append(f"{key}: {shown[0]} -> {shown[1]}")
    return out


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"
