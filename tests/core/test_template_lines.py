"""Templates stay readable: no line longer than 200 characters (one element per line where a line would be longer)."""

from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
MAX_CHARS = 200
# Being reformatted on another branch now; the lead removes this exclusion when both are merged.
NOT_YET = {"matching/search.html", "matching/recommendations.html"}


def test_no_template_line_is_longer_than_200_characters():
    # given: every template but the two still being reformatted
    templates = [
        path for path in sorted(TEMPLATES.rglob("*.html")) if path.relative_to(TEMPLATES).as_posix() not in NOT_YET
    ]
    assert len(templates) > 50

    # when
    long_lines = [
        f"{path.relative_to(TEMPLATES)}:{number} ({len(line)} characters)"
        for path in templates
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if len(line) > MAX_CHARS
    ]

    # then
    assert long_lines == []
