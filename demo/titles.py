"""Patent titles in the demo: the rule that keeps junk out, and a title derived from an abstract that has none.

The sources carry OCR debris ("权利要求书2页说明书9页附图5页…" glued to a title) and abstract-only patents whose
title has to be derived from the abstract; a bad derivation gives a field instead of an invention ("一种洗衣机领域").
`title_junk_reason` says why a title is not a title; `load_demo` leaves such patents out of the demo.
"""

import re

# OCR page-count header of a patent document ("权利要求书2页说明书9页附图5页")
_PAGE_HEADER = re.compile(r"(权利要求书|说明书|附图)\s*\d+\s*页")
# a technical field, not an invention ("一种洗衣机领域", "一种属于显示技术领域")
_FIELD = re.compile(r"(领域|方面)$|^(一种)?(属于|涉及|主要涉及|特别涉及|具体涉及)")
# words of an abstract or of claims, never of a title
_ABSTRACT_WORDS = re.compile(
    r"本发明|本申请|本实用新型|本公开|所述|其特征在于|如下步骤|包括以下|在此公开|提供了|公开了|描述了|是关于|目的在于|[(（]\d+[)）]"
)
_MEANINGFUL = re.compile(r"[\u4e00-\u9fffA-Za-z]")
# a title is at most 60 characters here: CNIPA's guideline asks for about 25 (40 in special cases)
TITLE_MAX_CHARS = 60
_OPENING, _CLOSING = "(（[【《", ")）]】》"
_CUT_START = "的、，,"


def title_junk_reason(title: str) -> str:
    """Why `title` is not a patent title ("" when it is one)."""
    text = title.strip()
    core = text.removeprefix("一种")
    if not text:
        return "empty"
    if _PAGE_HEADER.search(text):
        return "page header"
    if len(text) > TITLE_MAX_CHARS:
        return "too long"
    if "。" in text or _ABSTRACT_WORDS.search(text):
        return "abstract text"
    if _FIELD.search(text):
        return "a field, not an invention"
    if len(_MEANINGFUL.findall(core)) < 2:
        return "too short"
    if text[0] in _CUT_START or sum(text.count(c) for c in _OPENING) != sum(text.count(c) for c in _CLOSING):
        return "cut off"
    return ""


def title_is_junk(title: str) -> bool:
    return bool(title_junk_reason(title))


_CLAUSE_END = re.compile(r"[，。；,;：:]")
_INVENTION = re.compile(r"一种[^，。；,;：:]+")
_LEAD = re.compile(
    r"^(本发明|本申请|本实用新型|本公开|本技术)(的实施方式|实施例)?(公开了|涉及|提供了|提供|公开|描述了)?"
)
# how a title ends: the kind of invention (a product, a process, a use)
TITLE_HEADS = re.compile(
    r"(方法|装置|系统|设备|工艺|组合物|材料|用途|应用|结构|组件|电路|模块|器件|元件|部件|机构|终端|平台|介质|程序|产品|制剂|"
    r"配方|芯片|电缆|电线|涂层|纤维|织物|面料|抗体|化合物|[机器剂物体件仪管泵阀线板膜片车船灯液粉膏胶料杆])$"
)


def title_from_abstract(abstract: str) -> str:
    """A title for a patent known only by its abstract: the first "一种…" clause of its first two sentences that is
    a title, else its first clause without the lead ("本发明公开了…") when that ends like a title; "" when neither."""
    sentences = abstract.split("。", 2)[:2]
    for sentence in sentences:
        for match in _INVENTION.finditer(sentence):
            candidate = match.group(0).strip()
            if "包括" not in candidate and not title_junk_reason(candidate):
                return candidate
    lead = _CLAUSE_END.split(_LEAD.sub("", abstract.strip()), maxsplit=1)[0].strip()
    if TITLE_HEADS.search(lead) and "包括" not in lead and not title_junk_reason(lead):
        return lead
    return ""
