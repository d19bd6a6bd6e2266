"""The typed errors econsec raises. Every user-facing failure is one of these.

* :class:`InputError` — a published file is not in the format its adapter expects: it names the
  file, the row or sheet, the field, what was expected and what was found.
* :class:`NotFoundError` — a named thing (country, product, year, source, preset, alert) that the
  store, a model or a catalogue does not have. Interfaces answer 404 / "not found".
* :class:`OptionError` — an option or argument outside its allowed values or range (422).
  :func:`check_choice` is the one check for ``Literal`` options.
* :class:`ConflictError` — a request the current state forbids: a write to a read-only store,
  an alert move the lifecycle does not allow (409).
* :class:`StoreError` — the store cannot be opened, migrated or written.

A bare ``KeyError`` or ``ValueError`` from econsec is a bug, never a message for the user.
"""

from __future__ import annotations

import math
import types
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal, TypeVar, Union, get_args, get_origin

T = TypeVar("T")


class EconsecError(Exception):
    """Base class of every error econsec raises on purpose."""


class InputError(EconsecError):
    """A published file does not have the format its adapter expects.

    Parameters
    ----------
    file : path of the offending file.
    expected : what the adapter expected (a format, a type, a list of columns, a code table).
    row : 1-based line number in a text file (the header is line 1) or row in a sheet.
    field : column or field name.
    sheet : worksheet name for workbooks.
    got : the value found, shortened.
    """

    def __init__(
        self,
        file: str | Path,
        expected: str,
        *,
        row: int | None = None,
        field: str | None = None,
        sheet: str | None = None,
        got: object = None,
    ) -> None:
        self.file = str(file)
        self.expected = expected
        self.row = row
        self.field = field
        self.sheet = sheet
        self.got = got
        super().__init__(self._message())

    def _message(self) -> str:
        where = [self.file]
        if self.sheet is not None:
            where.append(f"sheet {self.sheet!r}")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.field is not None:
            where.append(f"field {self.field!r}")
        msg = ", ".join(where) + f": expected {self.expected}"
        if self.got is not None:
            got = str(self.got)
            msg += f", got {got[:80]!r}" + ("…" if len(got) > 80 else "")
        return msg


class UnknownCodeError(InputError):
    """A code (country, product, area) that no mapping table knows."""


class NotFoundError(EconsecError):
    """A named thing (country, product, year, source, preset, alert) that the store, a model or a
    catalogue does not have. The message names it and, where the list is short, what there is.

    It is not a ``KeyError``: a ``KeyError`` escaping econsec is a bug and must not read as
    "not found".
    """


class SourceNotFoundError(NotFoundError):
    """A source name that is not registered, or a data file that is not where it should be."""


class ConflictError(EconsecError):
    """A request that the current state forbids: a write to a read-only store, an alert move the
    lifecycle does not allow."""


class StoreError(EconsecError):
    """The store cannot be opened, migrated or written."""


class ReadOnlyError(StoreError, ConflictError):
    """A statement that would change the store was given to a read-only entry point."""


class OptionError(EconsecError, ValueError):
    """An option or argument value that is out of range or not one of the allowed values.

    The message names the option, what was expected and what was given.
    """


def choices(options: Any) -> tuple[Any, ...]:
    """The allowed values of a ``Literal`` type (also inside ``Optional`` or a union of
    Literals), or of an iterable of values, in order and without repeats."""
    origin = get_origin(options)
    if origin is Literal:
        return tuple(dict.fromkeys(get_args(options)))
    if origin is Union or origin is types.UnionType:
        return tuple(dict.fromkeys(v for a in get_args(options) if a is not type(None)
                                   for v in choices(a)))
    if isinstance(options, Iterable) and not isinstance(options, (str, bytes)):
        return tuple(dict.fromkeys(options))
    raise TypeError(f"expected a Literal type or an iterable of values, got {options!r}")


def check_choice(value: T, options: Any, *, option: str) -> T:
    """``value`` if it is one of ``options`` (a ``Literal`` type or an iterable of values), else
    an :class:`OptionError` naming ``option`` and the allowed values.

    >>> check_choice("x", Literal["ghosh", "leontief"], option="model")
    Traceback (most recent call last):
    ...
    econsec.errors.OptionError: model: expected one of 'ghosh', 'leontief'; got 'x'
    """
    if value not in choices(options):
        raise choice_error(value, options, option=option)
    return value


def choice_error(value: object, options: Any, *, option: str) -> OptionError:
    """The :class:`OptionError` :func:`check_choice` raises, for the ``else`` of a chain of
    ``if option == ...`` branches: ``raise choice_error(kind, Kind, option="kind")``."""
    allowed = ", ".join(map(repr, choices(options)))
    return OptionError(f"{option}: expected one of {allowed}; got {value!r}")


def check_range(value: float, *, option: str, gt: float | None = None, ge: float | None = None,
                lt: float | None = None, le: float | None = None) -> float:
    """``value`` as a float if it is a finite real number within the given bounds, else an
    :class:`OptionError` naming ``option``, the range and the value.

    >>> check_range(1.0, gt=1, option="sigma")
    Traceback (most recent call last):
    ...
    econsec.errors.OptionError: sigma: expected a number > 1; got 1.0
    """
    bounds = [f"{op} {b:g}" for op, b in ((">", gt), ("≥", ge), ("<", lt), ("≤", le)) if b is not None]
    try:
        x = float(value) if not isinstance(value, (bool, str, bytes)) else float("nan")
    except (TypeError, ValueError):
        x = float("nan")
    ok = math.isfinite(x) and (gt is None or x > gt) and (ge is None or x >= ge) \
        and (lt is None or x < lt) and (le is None or x <= le)
    if not ok:
        raise OptionError(f"{option}: expected a number{' ' + ' and '.join(bounds) if bounds else ''}; "
                          f"got {value!r}")
    return x
