"""The bounds of what a source may hold, so that no file can hang ``pao`` or crash a build.

Each bound is generous for a real plan and is checked where the value is
read, with a located message: a file's kind and size before it is read
(``regular_file_problem``, which the catalogs use too), the nesting of YAML
(``yamlfile``) and of Markdown lists (``markdown``), and numbers
(``number_problem``, for targets and progress values).  ``docs/source-format.md``
states them for the people who write the sources.
"""
from __future__ import annotations

import decimal
import math
import stat
from pathlib import Path

from ..diagnostics import display_path

MAX_FILE_BYTES = 4_000_000
"""4 MB: about 2,000 pages of text, a plan.yaml of 1,600 operational actions as long as the reference plan's
(250 times its size), read and checked in a few seconds."""
MAX_YAML_DEPTH = 50
"""Mappings and lists inside each other: plan.yaml needs 6."""
MAX_LIST_DEPTH = 3
"""Markdown lists inside each other: the documents have list styles for three levels."""
MAX_NUMBER = 10**15
"""A target or a reported value: a thousand million million, beyond any count or amount of a plan."""
MAX_DECIMALS = 2
"""Of an amount: cents."""
MAX_DIGITS = 15
"""Of a number with decimals: what a computer's number keeps exactly."""


def regular_file_problem(path: Path, root: Path) -> tuple[str, str] | None:
    """Why ``path`` cannot be read as a source file that belongs in the folder ``root`` (a message and its code), or None.

    One rule for every kind of source file: a regular file (not a folder, a
    device or a pipe) of at most ``MAX_FILE_BYTES``, that lies inside ``root``
    once links are followed (a link to a file elsewhere would build a document
    from text nobody reviews with the plan).
    """
    name = _shown_in(path, root)
    real = path.resolve()
    if real != root.resolve() and root.resolve() not in real.parents:
        if path.is_symlink():
            return (
                f"'{name}' is a link to '{display_path(real)}', outside '{display_path(root)}': "
                "source files must be inside it (copy the file there instead of linking to it)",
                "source.outside",
            )
        return f"'{name}' is outside '{display_path(root)}': source files must be inside it", "source.outside"
    try:
        status = real.stat()
    except FileNotFoundError:
        return f"'{name}' not found", "source.missing-file"
    except OSError as exc:
        return f"cannot read '{name}': {exc.strerror}", "source.unreadable"
    if stat.S_ISDIR(status.st_mode):
        return f"'{name}' is a folder, not a file", "source.not-a-file"
    if not stat.S_ISREG(status.st_mode):
        return f"'{name}' is not a regular file (a device or a pipe cannot be a source)", "source.not-a-file"
    if status.st_size > MAX_FILE_BYTES:
        return (
            f"'{name}' is {status.st_size} bytes long: a source file is at most {MAX_FILE_BYTES} bytes ({MAX_FILE_BYTES // 1_000_000} MB)",
            "source.too-large",
        )
    return None


def _shown_in(path: Path, root: Path) -> str:
    """The path as written under ``root`` (``progress/2023-S1.yaml``), or as given."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return display_path(path)


def number_problem(value: int | float, whole: bool) -> str | None:
    """What is wrong with a target or a reported value (a count when ``whole``, else an amount), or None."""
    if isinstance(value, float) and math.isnan(value):
        return "must be a number, not .nan"
    if value < 0:
        return "must not be negative"
    if value > MAX_NUMBER:
        return "must be at most 1 000 000 000 000 000 (10^15)"
    if isinstance(value, int):
        return None
    if whole:
        return f"must be a whole number, not {value!r} (a count; an amount has a currency)"
    written = decimal.Decimal(repr(value)).normalize()  # the shortest spelling of the float: what was written
    digits, exponent = len(written.as_tuple().digits), int(written.as_tuple().exponent)
    if -exponent > MAX_DECIMALS:
        return f"an amount has at most {MAX_DECIMALS} decimals (not {value!r})"
    if digits > MAX_DIGITS:
        return f"a number with decimals has at most {MAX_DIGITS} digits in all: more cannot be kept exactly"
    return None
