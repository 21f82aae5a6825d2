"""Templates stay readable: no line longer than 200 characters (one element per line where a line would be longer)."""

from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
MAX_CHARS = 200


def test_no_template_line_is_longer_than_200_characters():
    # given: every template of the project
    templates = sorted(TEMPLATES.rglob("*.html"))
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
