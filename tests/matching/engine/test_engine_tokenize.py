"""Tokenizer: stop words, user dictionary, odd input, bulk mode."""

import multiprocessing
import pickle
import time

import pytest

from matching.engine import Tokenizer, available_backends


@pytest.fixture(scope="module")
def tokenizer() -> Tokenizer:
    return Tokenizer()


def test_patent_boilerplate_is_dropped(tokenizer):
    # given
    text = "本发明公开了一种污水处理装置，其特征在于，包括沉淀池(3)，所述沉淀池与过滤器连接。"

    # when
    tokens = tokenizer.tokenize(text)

    # then
    assert tokens == ["污水", "处理", "污水处理", "沉淀", "沉淀池", "沉淀", "沉淀池", "过滤", "滤器", "过滤器"]


def test_user_dictionary_keeps_technical_terms_whole():
    # given
    with_dict = Tokenizer(search_mode=False)
    without_dict = Tokenizer(search_mode=False, user_dict=None)
    text = "翅片与封隔器"

    # when
    tokens_with = with_dict.tokenize(text)
    tokens_without = without_dict.tokenize(text)

    # then
    assert tokens_with == ["翅片", "封隔器"]
    assert tokens_without == ["翅", "片", "封", "隔", "器"]


@pytest.mark.parametrize("text", ["", None, "   ", "\x00\x01\x1f", "😀🚀", "12345 (6) ６７"])
def test_texts_without_words_give_no_tokens(tokenizer, text):
    # given / when
    tokens = tokenizer.tokenize(text)

    # then
    assert tokens == []


def test_non_chinese_text(tokenizer):
    # given
    text = "The PLC controller and a CO2 laser, 5G module"

    # when
    tokens = tokenizer.tokenize(text)

    # then
    assert tokens == ["plc", "controller", "co2", "laser", "5g", "module"]


def test_one_megabyte_claim(tokenizer):
    # given
    sentence = "一种锂离子电池正极材料，其特征在于，所述正极材料(1)包括磷酸铁锂和导电剂。"
    repeats = 1_000_000 // len(sentence.encode("utf-8")) + 1
    claim = sentence * repeats

    # when
    start = time.perf_counter()
    tokens = tokenizer.tokenize(claim)
    elapsed = time.perf_counter() - start

    # then
    assert len(claim.encode("utf-8")) > 1_000_000
    assert tokens[:9] == ["离子", "锂离子", "电池", "正极", "材料", "正极", "材料", "磷酸", "铁"]
    assert tokens == tokenizer.tokenize(sentence) * repeats
    assert elapsed < 5.0


def test_tokenize_many_in_processes_equals_serial(tokenizer):
    # given
    texts = ["一种污水处理装置", "", "图像识别方法", None, "锂电池回收", "汽车刹车片"] * 5

    # when
    serial = tokenizer.tokenize_many(texts)
    parallel = tokenizer.tokenize_many(texts, processes=2)
    joined = tokenizer.tokenize_many_joined(texts, processes=2)

    # then
    assert parallel == serial
    assert [j.split() for j in joined] == serial
    assert serial[0] == ["污水", "处理", "污水处理"]


def test_tokenizer_survives_pickling(tokenizer):
    # given
    tokenizer.tokenize("预热")

    # when
    clone = pickle.loads(pickle.dumps(tokenizer))

    # then
    assert clone.tokenize("图像识别方法") == tokenizer.tokenize("图像识别方法")


def test_pure_jieba_fallback_is_available():
    # given
    tokenizer = Tokenizer(backend="jieba")

    # when
    tokens = tokenizer.tokenize("一种图像识别方法")

    # then
    assert "jieba" in available_backends()
    assert tokens == ["图像", "识别", "图像识别"]


def test_unknown_backend_is_rejected():
    # given / when / then
    with pytest.raises(ValueError, match="unknown backend"):
        Tokenizer(backend="bogus")  # type: ignore[arg-type]


def test_daemonic_process_tokenizes_in_process(tokenizer, monkeypatch):
    # given: a Celery prefork worker is a daemonic process, which may not fork
    monkeypatch.setattr(multiprocessing.current_process(), "_config", {"daemon": True})
    texts = ["一种污水处理装置", "图像识别方法"] * 8

    # when
    joined = tokenizer.tokenize_many_joined(texts, processes=2)

    # then
    assert joined[:2] == ["污水 处理 污水处理", "图像 识别 图像识别"]
