"""Patents of the search tests (selector, API, browser): a number typed in any spelling, and a two-word query whose
words one title holds together while others hold only one, strongly."""

from common.validators.application_number import compute_check_digit
from patents.models import Institution, Patent

# 202410123457 with its check digit; the three spellings people use
NUMBER_BODY = "202410123457"
NUMBER = f"{NUMBER_BODY}.{compute_check_digit(NUMBER_BODY)}"
SPELLINGS = [NUMBER, f"CN{NUMBER_BODY}{NUMBER[-1]}", f"ZL 2024 1012 3457.{NUMBER[-1]}"]
PUBLICATION = "CN117654321A"

TWO_WORDS = "锂电池 隔膜"
# short titles that are about 锂电池 only: each is the word itself, weighted as a title
ONE_WORD_TITLES = [
    "一种钓鱼船用锂电池",
    "一种锂电池排气安全阀",
    "一种储能锂电池的防过热装置",
    "一种新能源锂电池加工装置",
]
BOTH_WORDS_TITLE = "一种锂电池隔膜涂布生产线的张力控制方法"
BOTH_WORDS_ABSTRACT = (
    "本发明公开了一种涂布生产线的张力控制方法，包括放卷单元、牵引辊、烘箱、收卷单元和张力传感器，"
    "控制器根据张力传感器采集的数据调节放卷电机和收卷电机的转速，使基材在烘箱中受热均匀，"
    "减少褶皱和断带，提高涂布厚度的一致性，适用于宽幅薄膜的连续生产。"
)


def numbered_patent(institution: Institution, *, pooled: bool = True) -> Patent:
    """A patent with a valid application number (NUMBER) and a publication number (PUBLICATION)."""
    return Patent.objects.create(
        application_number=NUMBER,
        publication_number=PUBLICATION,
        title="一种桥梁健康监测用光纤光栅传感器",
        abstract="本发明公开了一种光纤光栅传感器，用于桥梁结构的应变与温度监测。",
        patent_type="invention",
        institution=institution,
        inventory_status="pooled" if pooled else "inventoried",
        legal_status="valid",
        transfer_modes=["licence"],
    )


def coverage_patents(institution: Institution) -> tuple[Patent, list[Patent]]:
    """(the patent whose title holds both words of TWO_WORDS, the patents holding 锂电池 only), all pooled."""

    def make(i: int, title: str, abstract: str) -> Patent:
        return Patent.objects.create(
            application_number=f"20231{i:07d}.{compute_check_digit(f'20231{i:07d}')}",
            title=title,
            abstract=abstract,
            patent_type="invention",
            institution=institution,
            inventory_status="pooled",
            legal_status="valid",
            transfer_modes=["licence"],
        )

    one_word = [
        make(i, title, f"本实用新型公开了{title[2:]}，包括锂电池壳体和锂电池模组，锂电池安装牢固。")
        for i, title in enumerate(ONE_WORD_TITLES, start=1)
    ]
    both = make(99, BOTH_WORDS_TITLE, BOTH_WORDS_ABSTRACT)
    return both, one_word
