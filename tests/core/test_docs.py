"""The documentation holds together: the README stays what a newcomer reads first (≤ 250 lines), every relative link
of the README, of docs/ and of every other Markdown file of the project reaches a file (and a heading, when it names
one), and no Markdown file cites a guide the repository does not hold (the team's STYLE.md: the project's own is
docs/ARCHITECTURE.md)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README_MAX_LINES = 250
SKIPPED_FOLDERS = {".git", ".venv", "node_modules", "staticfiles", "media"}

_FENCED_BLOCK = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)
_CODE_SPAN = re.compile(r"`[^`\n]*`")
_INLINE_LINK = re.compile(r"!?\[[^\]\n]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_REFERENCE_LINK = re.compile(r"^\s*\[[^\]\n]+\]:\s*<?(\S+?)>?(?:\s+\"[^\"]*\")?\s*$", re.MULTILINE)
_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)
_EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)  # http:, https:, mailto: …


def _markdown_files() -> list[Path]:
    """Every Markdown file of the project (not of the virtualenv, git or collected static files)."""
    return sorted(
        path for path in ROOT.rglob("*.md") if not SKIPPED_FOLDERS.intersection(path.relative_to(ROOT).parts[:-1])
    )


def _prose(text: str) -> str:
    """`text` without fenced code blocks and code spans (a link written inside code is an example, not a link)."""
    return _CODE_SPAN.sub("", _FENCED_BLOCK.sub("", text))


def _links(text: str) -> list[str]:
    """The targets of the inline and reference links and images of a Markdown text."""
    prose = _prose(text)
    return _INLINE_LINK.findall(prose) + _REFERENCE_LINK.findall(prose)


def _slug(heading: str) -> str:
    """The anchor GitHub gives a heading: link text kept, lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading).strip().lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    """Every heading anchor of a Markdown file (a repeated heading gets -1, -2 … as on GitHub)."""
    seen: dict[str, int] = {}
    anchors = set()
    for heading in _HEADING.findall(_FENCED_BLOCK.sub("", path.read_text(encoding="utf-8"))):
        slug = _slug(heading)
        anchors.add(f"{slug}-{seen[slug]}" if slug in seen else slug)
        seen[slug] = seen.get(slug, 0) + 1
    return anchors


def _broken_links(document: Path, *, root: Path = ROOT) -> list[str]:
    """The relative links of `document` whose file (or heading) does not exist, as "file: target (why)" (file
    relative to `root`)."""
    broken = []
    for target in _links(document.read_text(encoding="utf-8")):
        if _EXTERNAL.match(target):
            continue
        path_part, _, fragment = target.partition("#")
        linked = (document.parent / path_part).resolve() if path_part else document
        name = f"{document.relative_to(root)}: {target}"
        if not linked.exists():
            broken.append(f"{name} (no such file)")
        elif fragment and linked.suffix == ".md" and fragment not in _anchors(linked):
            broken.append(f"{name} (no such heading)")
    return broken


def test_the_readme_is_at_most_250_lines():
    # when
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    # then
    assert len(lines) <= README_MAX_LINES, f"README.md has {len(lines)} lines; move detail to docs/"


def test_the_readme_keeps_the_two_commands():
    # when
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    # then
    assert "make run" in readme
    assert "make test" in readme


def test_every_relative_link_of_the_readme_docs_and_the_apps_readmes_reaches_a_file():
    # given: every Markdown file of the project (the README, docs/, the apps' READMEs and PROVENANCE files)
    documents = _markdown_files()
    assert {ROOT / "README.md", ROOT / "docs" / "ARCHITECTURE.md", ROOT / "docs" / "benchmarks.md"} <= set(documents)
    # when
    broken = [entry for document in documents for entry in _broken_links(document)]
    # then
    assert broken == []


def test_the_link_check_sees_links_and_skips_code_and_external_addresses(tmp_path):
    # given: a page with a good link, a missing file, a missing heading, an image, code and an external address
    (tmp_path / "other.md").write_text("# Other page\n\n## Two words\n", encoding="utf-8")
    (tmp_path / "pic.png").write_bytes(b"")
    page = tmp_path / "page.md"
    page.write_text(
        "See [other](other.md#two-words), [gone](gone.md), [bad anchor](other.md#nowhere), ![pic](pic.png),\n"
        "`[code](nowhere.md)`, [site](https://example.org/x.md) and [here](#top).\n\n# Top\n\n"
        "```\n[fenced](nowhere.md)\n```\n",
        encoding="utf-8",
    )
    # when
    links = _links(page.read_text(encoding="utf-8"))
    broken = _broken_links(page, root=tmp_path)
    # then
    assert links == ["other.md#two-words", "gone.md", "other.md#nowhere", "pic.png", "https://example.org/x.md", "#top"]
    assert broken == ["page.md: gone.md (no such file)", "page.md: other.md#nowhere (no such heading)"]


def test_headings_get_the_anchors_github_gives_them(tmp_path):
    # given
    page = tmp_path / "page.md"
    page.write_text(
        "# Docking (对接): from a patent to a signed deal\n## Concurrent writes on SQLite (`make run`)\n"
        "## Pooled → visible in search\n## Notes\n## Notes\n",
        encoding="utf-8",
    )
    # when
    anchors = _anchors(page)
    # then
    assert anchors == {
        "docking-对接-from-a-patent-to-a-signed-deal",
        "concurrent-writes-on-sqlite-make-run",
        "pooled--visible-in-search",
        "notes",
        "notes-1",
    }


def test_no_markdown_file_cites_the_team_style_guide():
    # given
    files = _markdown_files()
    assert ROOT / "README.md" in files
    assert ROOT / "docs" / "ARCHITECTURE.md" in files
    # when
    citing = [str(path.relative_to(ROOT)) for path in files if "STYLE.md" in path.read_text(encoding="utf-8")]
    # then
    assert citing == []
