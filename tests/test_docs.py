"""The documentation a clone of econsec ships resolves: every "methods.md §N" citation in the
source and the docs names a section of ``docs/methods.md``, and every relative link in the docs
and the README points to a file (and heading) that exists."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
METHODS = ROOT / "docs" / "methods.md"
DOCS = sorted([ROOT / "README.md", *(ROOT / "docs").rglob("*.md")])
SOURCE = sorted(p for p in (ROOT / "src").rglob("*")
                if p.is_file() and "__pycache__" not in p.parts and p.suffix not in (".pyc", ".so"))

_NUM = r"\d+(?:\.\d+)*"
_REF = rf"§\s*{_NUM}(?:\s*[–-]\s*{_NUM})?"
#: "methods.md §1", "`methods.md` §1–3", "[methods.md](methods.md) §2", "methods.md §4 and §6",
#: "methods.md §1, §7".
CITATION = re.compile(rf"methods\.md(?:`|\]\([^)]*\))?\s*({_REF}(?:\s*(?:,|and)\s*{_REF})*)")
REF = re.compile(rf"§\s*({_NUM})(?:\s*[–-]\s*({_NUM}))?")
HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$", re.M)
SECTION = re.compile(rf"^§({_NUM})(?=\s|$)")


def expand(first: str, last: str | None) -> list[str]:
    """``1``–``3`` → 1, 2, 3; ``8.2``–``8.4`` → 8.2, 8.3, 8.4 (ranges differ in the last part)."""
    if last is None:
        return [first]
    a, b = first.split("."), last.split(".")
    if len(b) == 1 and len(a) > 1:  # "§8.2–4" reads as 8.2 to 8.4
        b = [*a[:-1], b[0]]
    if len(a) != len(b) or a[:-1] != b[:-1] or int(a[-1]) > int(b[-1]):
        raise ValueError(f"cannot read the range §{first}–{last}")
    return [".".join([*a[:-1], str(k)]) for k in range(int(a[-1]), int(b[-1]) + 1)]


def citations(text: str) -> Iterator[str]:
    """Every section number a "methods.md §…" citation in ``text`` names."""
    for m in CITATION.finditer(text):
        for first, last in REF.findall(m.group(1)):
            yield from expand(first, last or None)


def text_of(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:  # a binary file
        return None


def cited() -> dict[str, list[str]]:
    """Section → the files (relative to the repository) that cite it."""
    out: dict[str, list[str]] = {}
    for path in [*SOURCE, *DOCS]:
        text = text_of(path)
        for sec in set(citations(text or "")):
            out.setdefault(sec, []).append(str(path.relative_to(ROOT)))
    return out


def headings(path: Path) -> list[str]:
    """The headings of a markdown file, fenced code removed."""
    return [m.group(2) for m in HEADING.finditer(strip_fences(path.read_text(encoding="utf-8")))]


def sections() -> list[str]:
    return [m.group(1) for h in headings(METHODS) if (m := SECTION.match(h))]


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link's text only
    return re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")


def anchors(path: Path) -> set[str]:
    seen: dict[str, int] = {}
    out = set()
    for h in headings(path):
        s = slug(h)
        n = seen.get(s, 0)
        out.add(s if n == 0 else f"{s}-{n}")
        seen[s] = n + 1
    return out


def strip_fences(text: str) -> str:
    """Markdown without fenced code blocks."""
    return re.sub(r"^(```|~~~).*?^\1[^\n]*$", "", text, flags=re.M | re.S)


def strip_code(text: str) -> str:
    """Markdown without fenced code blocks and inline code (links in code are not links)."""
    return re.sub(r"`[^`\n]*`", "", strip_fences(text))


LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$", re.M)
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//")


def relative_links(path: Path) -> list[str]:
    text = strip_code(path.read_text(encoding="utf-8"))
    targets = LINK.findall(text) + REFERENCE.findall(text)
    return [t for t in targets if not SCHEME.match(t)]


# -- the helpers themselves, on hand-made text ------------------------------------------------

def test_citation_forms_are_read() -> None:
    text = ("(methods.md §1) … `methods.md` §7 … methods.md §4 and §6 … methods.md §1, §7 … "
            "methods.md §2–3 … docs/methods.md §1–3, §10–11 … methods.md §8.2; EIA … "
            "methods.md §8.2–4 … [methods.md](methods.md) §5 … see methods.md for more")
    assert list(citations(text)) == ["1", "7", "4", "6", "1", "7", "2", "3", "1", "2", "3",
                                     "10", "11", "8.2", "8.2", "8.3", "8.4", "5"]


def test_headings_slugs_and_links_are_read(tmp_path: Path) -> None:
    md = tmp_path / "a.md"
    md.write_text("# Title\n## §3.2 Economic and product complexity (ECI, PCI)\n"
                  "## Coverage and the `--min-coverage` rule\n## Title\n"
                  "See [b](b.md#x), ![img](img/c.png \"t\"), [web](https://x.org), [top](#title).\n"
                  "```\n[not a link](nowhere.md)\n```\n[ref]: other.md\n", encoding="utf-8")
    assert headings(md)[1] == "§3.2 Economic and product complexity (ECI, PCI)"
    assert anchors(md) == {"title", "title-1", "32-economic-and-product-complexity-eci-pci",
                           "coverage-and-the---min-coverage-rule"}
    assert relative_links(md) == ["b.md#x", "img/c.png", "#title", "other.md"]


# -- the repository ---------------------------------------------------------------------------

def test_methods_document_exists_with_numbered_sections() -> None:
    assert METHODS.is_file(), "docs/methods.md is missing"
    secs = sections()
    dup = sorted({s for s in secs if secs.count(s) > 1})
    assert not dup, f"docs/methods.md numbers these sections twice: {dup}"
    # every subsection sits under its section
    missing = sorted({s.rsplit(".", 1)[0] for s in secs if "." in s} - set(secs))
    assert not missing, f"docs/methods.md has subsections of sections it lacks: {missing}"


def test_every_methods_citation_resolves() -> None:
    have = set(sections())
    refs = cited()
    assert refs, "no methods.md citation found: the pattern no longer matches the sources"
    bad = {f"§{s}": files for s, files in sorted(refs.items()) if s not in have}
    assert not bad, f"cited sections with no heading in docs/methods.md: {bad}"


def test_no_citation_points_outside_the_repository() -> None:
    """The methods document is docs/methods.md; ../shared is not part of a clone."""
    bad = [str(p.relative_to(ROOT)) for p in [*SOURCE, *DOCS]
           if "shared/docs/methods.md" in (text_of(p) or "")]
    assert not bad, f"these files cite ../shared/docs/methods.md, which a clone does not have: {bad}"


@pytest.mark.parametrize("path", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_resolve(path: Path) -> None:
    broken = []
    for target in relative_links(path):
        file, _, anchor = target.partition("#")
        dest = path if not file else (path.parent / file).resolve()
        if not dest.exists():
            broken.append(f"{target} (no such file)")
        elif anchor and dest.suffix == ".md" and anchor not in anchors(dest):
            broken.append(f"{target} (no such heading)")
    assert not broken, f"{path.relative_to(ROOT)}: broken links {broken}"
