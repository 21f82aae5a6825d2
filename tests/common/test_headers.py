"""Tests for common.headers."""

from pathlib import Path

import pytest

from common.headers import header_key, map_headers
from enterprises.headers import ENTERPRISE_HEADER_ALIASES
from patents.headers import PATENT_HEADER_ALIASES

DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("申请号*", "申请号"),
        (" Application No. ", "applicationno"),
        ("价格（万元）", "价格"),
        ("公开（公告）号", "公开号"),
        ("ＩＰＣ主分类号", "ipc主分类号"),
        ("申请号 [必填]", "申请号"),
        ("（备注）", "(备注)"),
    ],
)
def test_header_key(header, key):
    # given / when / then
    assert header_key(header) == key


def test_marked_and_english_headers_map_to_fields():
    # given
    headers = ["申请号*", "专利名称（必填）", " Application No. ", "价格(万元)", "备注"]

    # when
    result = map_headers(headers, PATENT_HEADER_ALIASES, required=["application_number", "title", "abstract"])

    # then
    assert result.mapping == {"application_number": "申请号*", "title": "专利名称（必填）", "price": "价格(万元)"}
    assert result.ignored_duplicates == {"application_number": [" Application No. "]}
    assert result.unknown_columns == ["备注"]
    assert result.missing_required == ["abstract"]


def test_alias_priority_decides_between_two_matching_columns():
    # given: 当前权利人 comes first in the file but 申请人 is the earlier alias
    headers = ["当前权利人", "申请人"]

    # when
    result = map_headers(headers, PATENT_HEADER_ALIASES)

    # then
    assert result.mapping == {"applicant": "申请人"}
    assert result.ignored_duplicates == {"applicant": ["当前权利人"]}


def test_sixty_one_column_tech_transfer_export():
    # given: the real column list of a tech-transfer database export
    headers = (DATA / "columns.txt").read_text(encoding="utf-8").split()

    # when
    result = map_headers(headers, PATENT_HEADER_ALIASES, required=["application_number", "title"])

    # then
    assert len(headers) == 61
    assert result.mapping == {
        "application_number": "申请号",
        "title": "专利名称",
        "abstract": "申请摘要",
        "claims": "主权项",
        "ipc_main": "主分类号",
        "ipc_all": "分类号",
        "patent_type": "专利类型",
        "application_date": "申请日",
        "grant_date": "授权公告日",
        "publication_number": "公开号",
        "legal_status": "法律状态",
        "inventors": "发明人",
        "applicant": "申请人",
    }
    assert result.ignored_duplicates == {"applicant": ["当前权利人"]}
    assert result.missing_required == []
    assert len(result.unknown_columns) == 61 - 14
    assert "国际申请号" in result.unknown_columns


def test_hubei_enterprise_headers():
    # given
    headers = [
        "企业名称",
        "统一社会信用代码",
        "注册日期",
        "企业类型",
        "注册资金",
        "经营范围",
        "所在省份",
        "地区",
        "注册地址",
    ]

    # when
    result = map_headers(headers, ENTERPRISE_HEADER_ALIASES, required=["name", "uscc"])

    # then
    assert result.mapping == {
        "name": "企业名称",
        "uscc": "统一社会信用代码",
        "business_scope": "经营范围",
        "region": "地区",
        "province": "所在省份",
        "registered_date": "注册日期",
        "enterprise_type": "企业类型",
        "registered_capital": "注册资金",
        "address": "注册地址",
    }
    assert result.unknown_columns == []
    assert result.missing_required == []


def test_field_name_itself_matches():
    # given: a file exported by this platform
    headers = ["application_number", "ipc_main"]

    # when
    result = map_headers(headers, PATENT_HEADER_ALIASES)

    # then
    assert result.mapping == {"application_number": "application_number", "ipc_main": "ipc_main"}


def test_alias_table_with_a_collision_is_refused():
    # given
    aliases = {"a": ["名称"], "b": ["名 称"]}

    # when / then
    with pytest.raises(ValueError, match="collides"):
        map_headers(["名称"], aliases)


def test_unknown_required_field_is_a_programming_error():
    # given / when / then
    with pytest.raises(ValueError, match="not in the alias table"):
        map_headers(["申请号"], PATENT_HEADER_ALIASES, required=["nonexistent"])
