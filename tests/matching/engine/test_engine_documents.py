"""Field weighting of patents and enterprise queries."""

from engine_corpus import PATENTS

from matching.engine import (
    FieldWeights,
    PatentText,
    enterprise_query_text,
    enterprise_query_tokens,
    patent_tokens,
    patent_tokens_many,
)


def test_title_tokens_are_repeated_by_weight():
    # given
    weights = FieldWeights(title=3, abstract=1, claims=0)

    # when
    tokens = patent_tokens(title="污水处理装置", abstract="活性炭过滤器", claims="沉淀池", weights=weights)

    # then
    assert tokens == ["污水", "处理", "污水处理"] * 3 + ["活性", "活性炭", "过滤", "滤器", "过滤器"]


def test_bulk_documents_equal_single_documents():
    # given
    patents = [PatentText(title, abstract, claims) for _, title, abstract, claims in PATENTS]

    # when
    bulk = patent_tokens_many(patents=patents, processes=2)
    single = [patent_tokens(title=p.title, abstract=p.abstract, claims=p.claims) for p in patents]

    # then
    assert [doc.split() for doc in bulk] == single


def test_enterprise_query_text_joins_non_empty_fields_needs_first():
    # given / when
    text = enterprise_query_text(needs=" 污水处理 ", business_scope="", products="过滤器")

    # then
    assert text == "污水处理\n过滤器"


def test_enterprise_query_tokens_weight_needs_twice():
    # given / when
    tokens = enterprise_query_tokens(needs="污水处理", business_scope="环保设备销售", products="过滤器")

    # then
    assert tokens == ["污水", "处理", "污水处理"] * 2 + ["环保", "设备", "过滤", "滤器", "过滤器"]


def test_bulk_documents_survive_the_field_separator_in_the_text():
    # given
    patents = [PatentText("污水处理 qxzfieldsepqxz", "过滤器", ""), PatentText("图像识别", "", "卷积")]

    # when
    bulk = patent_tokens_many(patents=patents)

    # then
    assert bulk[1].split() == patent_tokens(title="图像识别", claims="卷积")
    assert bulk[0].split() == patent_tokens(title="污水处理 qxzfieldsepqxz", abstract="过滤器")
