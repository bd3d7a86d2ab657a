"""Output files: checked before any work is done, then written whole or not at all.

Each file is written to a temporary file beside it; only when every output of the run is
complete are they renamed into place, so a full disk or a file-size limit leaves the old
outputs untouched (never a truncated table, never a set of files from two runs).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path


class OutputPathError(ValueError):
    """An output path that cannot or must not be written; the message names it."""


def check_output_paths(paths: Iterable[Path | None], protected: Iterable[Path] = ()) -> None:
    """Refuse, before the run: a folder, a parent that is not a folder or cannot be created,
    a device or other non-regular file, an input file, and the same path given twice.

    A missing parent folder is created here (as the writes would), so a run never fails at
    the end for want of a folder.
    """
    inputs = {p.resolve() for p in protected}
    seen: dict[Path, Path] = {}
    for path in paths:
        if path is None:
            continue
        real = path.resolve()
        if real in seen:
            raise OutputPathError(f"{path}: the same output path is given twice")
        seen[real] = path
        if real in inputs:
            raise OutputPathError(f"{path}: output would overwrite an input table")
        if path.is_dir():
            raise OutputPathError(f"{path}: output is a folder, not a file")
        if path.exists() and not path.is_file():
            raise OutputPathError(f"{path}: output is not a regular file")
        parent = path.parent
        try:
            parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputPathError(f"{path}: cannot create its folder ({exc.strerror or exc})") from None
        if not os.access(parent, os.W_OK | os.X_OK):
            raise OutputPathError(f"{path}: its folder is not writable")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_all(writers: Sequence[tuple[Path, Callable[[Path], None]]]) -> None:
    """Run each ``write(temp_path)``, then rename every temp file onto its path.

    On any failure every temporary file is removed and the existing outputs are untouched;
    the error is an ``OutputPathError`` naming the file.
    """
    done: list[tuple[Path, Path]] = []
    mode = 0o666 & ~_umask()
    try:
        for path, write in writers:
            fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=path.suffix)
            os.close(fd)
            tmp = Path(name)
            tmp.chmod(mode)  # mkstemp's 0600 would outlive the rename
            done.append((tmp, path))
            try:
                write(tmp)
            except OSError as exc:
                raise OutputPathError(
                    f"{path}: cannot write ({exc.strerror or type(exc).__name__})"
                ) from None
        for tmp, path in done:
            os.replace(tmp, path)
    except OSError as exc:
        raise OutputPathError(f"cannot write outputs ({exc.strerror or type(exc).__name__})") from None
    finally:
        for tmp, _path in done:
            with contextlib.suppress(OSError):
                tmp.unlink()
