"""The typed errors econsec raises. Every user-facing failure is one of these.

``InputError`` is the bad-input error: it names the file, the row or sheet, the field, what was
expected and what was found, so that a user can open the file and fix it.
"""

from __future__ import annotations

from pathlib import Path


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


class SourceNotFoundError(EconsecError):
    """A source name that is not registered, or a data file that is not where it should be."""


class StoreError(EconsecError):
    """The store cannot be opened, migrated or written."""


class ReadOnlyError(StoreError):
    """A statement that would change the store was given to a read-only entry point."""


class NotFoundError(EconsecError, KeyError):
    """A named thing (country, year, product, preset, alert) that the store or a model does not have.

    It is also a ``KeyError`` so that callers written before it existed keep working; new code
    catches ``NotFoundError`` (or ``EconsecError``), never a bare ``KeyError``.
    """

    def __str__(self) -> str:  # KeyError quotes its message; this error reads as a sentence
        return str(self.args[0]) if self.args else ""


class OptionError(EconsecError, ValueError):
    """An option or argument value that is out of range or not one of the allowed values.

    The message names the option, what was expected and what was given.
    """
