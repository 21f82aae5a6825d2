"""The demo's districts (区/县) of a few universities, so a city bureau's district table is not empty.

The district of each university's main campus as its own website gives its address (学校标识码 → GB/T 2260 code);
the other universities keep none and show as 未登记区县, as an institution that has not recorded its district does.
"""

from patents.models import Institution

# 学校标识码 → district code of the main campus
DEMO_DISTRICTS: dict[str, str] = {
    "4142010486": "420106",  # 武汉大学 · 武昌区
    "4142010487": "420111",  # 华中科技大学 · 洪山区
    "4142010491": "420111",  # 中国地质大学（武汉）· 洪山区
    "4142010497": "420111",  # 武汉理工大学 · 洪山区
    "4142010500": "420111",  # 湖北工业大学 · 洪山区
    "4142010504": "420111",  # 华中农业大学 · 洪山区
    "4142010511": "420111",  # 华中师范大学 · 洪山区
    "4142010512": "420106",  # 湖北大学 · 武昌区
    "4142010524": "420111",  # 中南民族大学 · 洪山区
    "4142011075": "420502",  # 三峡大学 · 宜昌市西陵区
    "4142010489": "421003",  # 长江大学 · 荆州市荆州区
    "4142010519": "420602",  # 湖北文理学院 · 襄阳市襄城区
}


def districts_load() -> int:
    """Record the districts of the universities above that have none yet and lie in the district's city (idempotent:
    a second load changes nothing); the number recorded."""
    recorded = 0
    for moe_code, district in DEMO_DISTRICTS.items():
        recorded += Institution.objects.filter(moe_code=moe_code, district_code="", city_id=district[:4]).update(
            district_code=district
        )
    return recorded
