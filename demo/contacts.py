"""Contact details of the demo's enterprises and institutions: plausible and deterministic, and plainly not real
(e-mail addresses at example.cn, the domain reserved for examples; the demo's records are labelled 演示数据)."""

from demo.stable import stable_hash

# 长途区号 of Hubei's places (Wuhan's local numbers have eight digits, the others seven)
AREA_CODES = {
    "武汉": "027",
    "黄石": "0714",
    "十堰": "0719",
    "宜昌": "0717",
    "襄阳": "0710",
    "鄂州": "0711",
    "荆门": "0724",
    "孝感": "0712",
    "荆州": "0716",
    "黄冈": "0713",
    "咸宁": "0715",
    "随州": "0722",
    "恩施": "0718",
    "仙桃": "0728",
    "潜江": "0728",
    "天门": "0728",
    "神农架": "0719",
}
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任沈姚"
    "卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱覃武戴孔汤庞樊兰殷施"
)
TITLES = ("经理", "女士", "先生", "主任", "总监")


def demo_phone(*, key: str, place: str) -> str:
    """A landline in the area code of `place` (a city or region name; Wuhan's when unknown): 027-8xxxxxxx in Wuhan,
    07xx-xxxxxxx elsewhere."""
    code = next((code for short, code in AREA_CODES.items() if place.startswith(short)), "027")
    h = stable_hash(f"phone:{key}")
    digits = f"8{h % 10_000_000:07d}" if code == "027" else f"{2 + h % 7}{(h >> 8) % 1_000_000:06d}"
    return f"{code}-{digits}"


def demo_email(*, key: str) -> str:
    return f"contact.{stable_hash(f'mail:{key}') % 16**8:08x}@example.cn"


def demo_person(*, key: str) -> str:
    """How a business card names its holder: a surname and a courtesy title (张经理, 王女士)."""
    h = stable_hash(f"person:{key}")
    return SURNAMES[h % len(SURNAMES)] + TITLES[(h >> 16) % len(TITLES)]


def enterprise_contact(*, uscc: str, place: str) -> dict[str, str]:
    """An enterprise profile's contact (its docking requests carry the same)."""
    return {
        "contact_name": demo_person(key=uscc),
        "contact_phone": demo_phone(key=uscc, place=place),
        "contact_email": demo_email(key=uscc),
    }
