"""Arguments every interface shares: country codes and list options, checked in one place.

The CLI, the Python API (:class:`econsec.Session`) and the REST API pass what a user typed through
these functions before they call a service, so that one rule holds everywhere:

* **Case.** A country or group code is accepted in any case, with surrounding spaces, and
  normalised to upper case: ``kor`` → ``KOR``, ``eu27`` → ``EU27``.
* **Known codes.** A code must be a row of the store's ``countries`` table (ISO 3166 alpha-3 plus
  econsec's aggregate and former-state codes, see :mod:`econsec.reference`) or, where the
  argument takes groups, a ``group_code`` of ``country_groups`` (EU27, ASEAN, OECD, …). Anything
  else is a :class:`~econsec.errors.NotFoundError` that names the code and says how to list the
  valid ones, never an empty result.
* **Pairs.** A command about two economies needs two different ones
  (:class:`~econsec.errors.OptionError`): ``complementarity KOR KOR`` has no meaning.
* **Lists.** A list is given comma-separated, repeated, or both, and read by one parser,
  :func:`split` (:func:`items` drops repeats): ``("KOR,JPN", "CHN")`` → ``("KOR", "JPN", "CHN")``.

Whether a known code has data in a given source is the service's question (a valid ISO3 code can
be missing from a panel); :func:`require_rows` words that refusal the same way for every caller.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from econsec.errors import NotFoundError, OptionError
from econsec.store import Store
from econsec.store.queries import reference

__all__ = ["LIST_HINT", "countries", "country", "items", "members", "normalise", "pair",
           "require_rows", "split", "years"]

#: How a user lists the valid codes (both interfaces read the same tables).
LIST_HINT = ("list them with `econsec countries` "
             "or GET /api/countries")
GROUP_HINT = "groups: `econsec countries --group list`"


def normalise(code: str) -> str:
    """``" kor "`` → ``"KOR"``: strip spaces, upper case."""
    return code.strip().upper()


def split(values: str | Iterable[str] | None) -> list[str]:
    """Every comma-separated part of every value, stripped, blanks dropped, repeats kept.

    >>> split(["KOR,JPN", " CHN ", "KOR", ""])
    ['KOR', 'JPN', 'CHN', 'KOR']
    """
    if values is None:
        return []
    if isinstance(values, str):
        values = (values,)
    return [p.strip() for v in values for p in str(v).split(",") if p.strip()]


def items(values: str | Iterable[str] | None) -> tuple[str, ...]:
    """Read a list option: comma-separated, repeated, or both; blanks and repeats dropped.

    >>> items(["KOR,JPN", " CHN ", "KOR"])
    ('KOR', 'JPN', 'CHN')
    >>> items("2019, 2020")
    ('2019', '2020')
    """
    return tuple(dict.fromkeys(split(values)))


def years(values: str | Iterable[str | int] | None, *, option: str | None = None) -> tuple[int, ...]:
    """Read a list of years like :func:`items`: ``["2022,2023", "2024"]`` → ``(2022, 2023, 2024)``.

    Raises
    ------
    OptionError : a part that is not a whole number.
    """
    out = []
    for part in items(values if values is None or isinstance(values, str) else [str(v) for v in values]):
        if not part.isdigit():
            raise OptionError(f"{option + ': ' if option else ''}expected years like 2019 or "
                              f"2019,2020, got {part!r}")
        out.append(int(part))
    return tuple(out)


def _known(store: Store, *, groups: bool) -> tuple[frozenset[str], frozenset[str]]:
    grp = frozenset(reference.group_codes(store)) if groups else frozenset()
    return reference.iso3_codes(store), grp


def _unknown(store: Store, bad: Sequence[str], *, groups: bool, option: str | None) -> NotFoundError:
    """The error for codes that are neither countries nor (if allowed) groups, with hints."""
    what = "country or group code" if groups else "country code"
    shown = ", ".join(repr(b) for b in bad)
    msg = f"unknown {what}{'s' if len(bad) > 1 else ''} {shown}"
    two = [b for b in bad if len(b) == 2]
    if two:  # an ISO2 code given where ISO3 is expected: name the ISO3 code
        m = reference.iso2_to_iso3(store, two)
        if not m.empty:
            msg += " (ISO3 expected: " + ", ".join(f"{a} is {b}" for a, b in zip(m.iso2, m.iso3, strict=True)) + ")"
    msg += f"; {LIST_HINT}" + (f"; {GROUP_HINT}" if groups else "")
    return NotFoundError(f"{option}: {msg}" if option else msg)


def countries(store: Store, codes: str | Iterable[str] | None, *, groups: bool = False,
              distinct: bool = False, option: str | None = None) -> tuple[str, ...]:
    """Normalise and check a list of codes (comma-separated and/or repeated, see :func:`items`).

    Parameters
    ----------
    store : the store whose ``countries`` (and ``country_groups``) tables define valid codes.
    codes : the codes as typed; ``None`` or empty gives ``()``.
    groups : also accept group codes (EU27, ASEAN, …), returned as given (not expanded).
    distinct : refuse a code given twice (:class:`OptionError`) instead of dropping the repeat,
        for lists whose members act together (pooled LNG buyers).
    option : the option or parameter name to put in front of error messages.

    Raises
    ------
    NotFoundError : a code that is not a known country (or group).
    OptionError : with ``distinct``, a code given twice.
    """
    flat = [normalise(c) for c in split(codes)]
    out = tuple(dict.fromkeys(flat))
    if distinct and len(out) < len(flat):
        twice = sorted({c for c in flat if flat.count(c) > 1})
        raise OptionError(f"{option + ': ' if option else ''}{', '.join(twice)} given more than "
                          "once; give each economy once")
    if not out:
        return ()
    iso3, grp = _known(store, groups=groups)
    bad = [c for c in out if c not in iso3 and c not in grp]
    if bad:
        raise _unknown(store, bad, groups=groups, option=option)
    return out


def country(store: Store, code: str, *, groups: bool = False, option: str | None = None) -> str:
    """One code, normalised and checked (see :func:`countries`); a list is refused."""
    got = items(code)
    if len(got) != 1:
        raise OptionError(f"{option + ': ' if option else ''}expected one country code, "
                          f"got {code!r}")
    return countries(store, got, groups=groups, option=option)[0]


def pair(store: Store, a: str, b: str, *, groups: bool = False,
         options: tuple[str, str] = ("A", "B")) -> tuple[str, str]:
    """Two different economies, normalised and checked.

    Raises
    ------
    NotFoundError : either code is unknown.
    OptionError : both name the same economy (``KOR KOR``, ``kor KOR``).
    """
    x = country(store, a, groups=groups, option=options[0])
    y = country(store, b, groups=groups, option=options[1])
    if x == y:
        raise OptionError(f"{options[0]} and {options[1]} are both {x}: a pair needs two "
                          "different economies")
    return x, y


def members(store: Store, codes: str | Iterable[str] | None, *,
            option: str | None = None) -> tuple[str, ...]:
    """Countries and groups → member ISO3 codes (groups expanded, order kept, repeats dropped).

    ``("EU27", "GBR")`` → the 27 EU members, then GBR.
    """
    want = countries(store, codes, groups=True, option=option)
    if not want:
        return ()
    g = reference.group_members(store, want)
    by_group = g.groupby("group_code")["iso3"].apply(list).to_dict()
    out: dict[str, None] = {}
    for c in want:
        for m in by_group.get(c, [c]):
            out.setdefault(m, None)
    return tuple(out)


def require_rows(wanted: Iterable[str], found: Iterable[str], *, where: str) -> None:
    """Refuse a request for known codes that have no rows in a result.

    ``where`` says what was searched, e.g. ``"imf_dots"`` or ``"WIOD 2011"``.

    Raises
    ------
    NotFoundError : naming the codes without data.
    """
    have = set(found)
    missing = [w for w in dict.fromkeys(wanted) if w not in have]
    if missing:
        raise NotFoundError(f"no data for {', '.join(missing)} in {where}")
