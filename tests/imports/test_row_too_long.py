"""The shared 'too long' row error of the imports (imports.validation.row_too_long)."""

from imports.validation import row_too_long

LABELS = {"title": ("专利名称", "title")}


def test_a_cell_over_its_limit_is_named_by_row_and_column_in_both_languages():
    # when
    error = row_too_long(LABELS, 7, "title", "长" * 60, 40)
    # then
    assert error is not None
    assert (error.line, error.field, error.code, error.value) == (7, "title", "too_long", "长" * 50 + "…")
    assert error.message == (
        "第7行 专利名称: 长度 60 超过上限 40，请删减 / "
        "Row 7, title: 60 characters, more than the limit of 40; shorten it"
    )


def test_a_cell_at_its_limit_fits():
    assert row_too_long(LABELS, 7, "title", "长" * 40, 40) is None
