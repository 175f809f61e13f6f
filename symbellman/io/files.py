"""Writing output files whole or not at all: a temporary file in the same folder, renamed.

Every file symbellman writes (a model file, LaTeX, a handout and the files beside it, a
page, a PRISM model and its properties) goes through :func:`write_file`,
:func:`streamed_file` or :class:`Staged`. The text is written to a hidden temporary file in the target's folder
and renamed over the target only once it is complete, so a run that fails, is stopped
or is killed half-way leaves the target as it was: never a 0-byte or half-written file.
A :class:`Staged` group renames its files only when the whole group was written: a
failed PDF leaves no ``-closed-forms.json`` beside it, a failed export no ``.pm``.

:func:`streamed_file` does the same for text written piece by piece (a LaTeX document
of 900 closed forms is never held whole in memory): the pieces go to the temporary as
they come, and the rename happens only when the last one was written.

:func:`check_output` refuses, before any work is done, a path whose folder is missing,
a folder given as the file, and a folder that cannot be written.
"""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from os import PathLike
from pathlib import Path

from ..core.errors import SymbellmanError
from ..core.names import safe_text

__all__ = ["check_output", "write_file", "streamed_file", "Staged", "OutputError"]


class OutputError(SymbellmanError):
    """An output file cannot be written where it was asked for."""


def _shown(path) -> str:
    return safe_text(str(path))


def check_output(path: str | PathLike) -> Path:
    """``path`` as a Path if a file can be written there; else an :class:`OutputError`.

    >>> check_output("/no/such/folder/x.tex")
    Traceback (most recent call last):
    ...
    symbellman.io.files.OutputError: /no/such/folder/x.tex: the folder /no/such/folder does not exist (create it first, or write somewhere else)
    >>> check_output("/")
    Traceback (most recent call last):
    ...
    symbellman.io.files.OutputError: /: is a folder; give a file name
    """
    path = Path(path)
    if str(path) in ("", ".") or path.is_dir():
        raise OutputError(f"{_shown(path)}: is a folder; give a file name")
    folder = path.parent
    if not folder.is_dir():
        what = "is not a folder" if folder.exists() else "does not exist"
        raise OutputError(f"{_shown(path)}: the folder {_shown(folder)} {what} "
                          "(create it first, or write somewhere else)")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"{_shown(path)}: cannot write in the folder {_shown(folder)} "
                          "(permission denied; write somewhere else)")
    if path.exists() and not path.is_file():
        raise OutputError(f"{_shown(path)}: is not a regular file (a device, pipe or "
                          "socket); give a file name")
    return path


def _failure(path, err: OSError) -> OutputError:
    return OutputError(f"{_shown(path)}: cannot write: {err.strerror or err}")


def _mode(path: Path) -> int:
    """The permissions the finished file gets: the old file's, else the usual ones."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


class Staged:
    """A group of output files written to temporaries and renamed into place together.

    Use it as a context manager: :meth:`path` gives the temporary path to write each
    target to. On a normal exit every target is checked and then every temporary is
    renamed over its target; on an error (or a ``KeyboardInterrupt``, or ``SystemExit``
    from SIGTERM) the temporaries are removed and no target is touched.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> with Staged() as stage:
    ...     _ = stage.path(folder / "a.txt").write_text("one")
    ...     _ = stage.path(folder / "b.txt").write_text("two")
    >>> sorted(p.name for p in folder.iterdir())
    ['a.txt', 'b.txt']
    >>> try:
    ...     with Staged() as stage:
    ...         _ = stage.path(folder / "c.txt").write_text("three")
    ...         raise ValueError("the PDF failed")
    ... except ValueError:
    ...     pass
    >>> sorted(p.name for p in folder.iterdir())
    ['a.txt', 'b.txt']
    """

    def __init__(self):
        self._staged: dict[Path, Path] = {}

    def path(self, target: str | PathLike) -> Path:
        """The temporary path to write ``target`` to (the same one if asked again)."""
        target = Path(target)
        if target in self._staged:
            return self._staged[target]
        check_output(target)
        try:
            handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.",
                                            suffix=".tmp")
        except OSError as err:
            raise _failure(target, err) from None
        os.close(handle)
        self._staged[target] = Path(name)
        return Path(name)

    def __enter__(self) -> "Staged":
        return self

    def __exit__(self, kind, value, traceback) -> None:
        if kind is not None:
            self.discard()
            return
        try:
            for target in self._staged:  # every target first: then rename them all
                if target.exists() and not target.is_file():
                    raise OutputError(f"{_shown(target)}: is a folder or not a regular "
                                      "file; give a file name")
            for target, temporary in self._staged.items():
                os.chmod(temporary, _mode(target))
                os.replace(temporary, target)
        except OSError as err:
            self.discard()
            raise _failure(target, err) from None
        except BaseException:
            self.discard()
            raise
        self._staged.clear()

    def discard(self) -> None:
        """Remove every temporary not yet renamed."""
        for temporary in self._staged.values():
            try:
                temporary.unlink()
            except OSError:
                pass
        self._staged.clear()


def write_file(path: str | PathLike, data: str | bytes, *, encoding: str = "utf-8") -> Path:
    """Write ``data`` to ``path`` whole or not at all (a temporary renamed into place).

    Raises :class:`OutputError` for a missing folder, a folder given as the file, or a
    place that cannot be written; the target is then left as it was.

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.tex"
    >>> write_file(target, "x = 1\\n").read_text()
    'x = 1\\n'
    """
    with Staged() as stage:
        temporary = stage.path(path)
        try:
            if isinstance(data, bytes):
                temporary.write_bytes(data)
            else:
                temporary.write_text(data, encoding=encoding)
        except OSError as err:
            raise _failure(path, err) from None
    return Path(path)


@contextmanager
def streamed_file(path: str | PathLike, *, encoding: str = "utf-8"):
    """A text file to write piece by piece, renamed into place whole or not at all.

    The ``with`` block gets an open text file (a temporary in the target's folder); when
    the block ends normally the file is closed and renamed over ``path``. When it raises
    (or is interrupted) the temporary is removed and ``path`` is left as it was, so a
    document that fails half-way through its pieces leaves no partial file. Nothing is
    held in memory beyond the file's buffer.

    Raises :class:`OutputError` for a missing folder, a folder given as the file, or a
    place that cannot be written (before the block runs), or for a write that fails.

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.tex"
    >>> with streamed_file(target) as out:
    ...     for k in range(3):
    ...         _ = out.write(f"row {k}\\n")
    >>> target.read_text().splitlines()
    ['row 0', 'row 1', 'row 2']
    >>> try:
    ...     with streamed_file(target) as out:
    ...         _ = out.write("half")
    ...         raise ValueError("the solver failed")
    ... except ValueError:
    ...     pass
    >>> target.read_text().splitlines(), sorted(p.name for p in target.parent.iterdir())
    (['row 0', 'row 1', 'row 2'], ['out.tex'])

    See Also
    --------
    write_file : the same for text that is already whole.
    Staged : a group of files renamed into place together.
    """
    with Staged() as stage:
        temporary = stage.path(path)
        try:
            handle = open(temporary, "w", encoding=encoding)
        except OSError as err:
            raise _failure(path, err) from None
        try:
            with handle:
                yield handle
        except OSError as err:
            raise _failure(path, err) from None
