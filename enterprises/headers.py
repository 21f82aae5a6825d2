"""The header aliases of the enterprise import (matched by common.headers.map_headers): per field, the names the
registration data uses, in priority order (the earliest alias wins when a file has several columns for one field)."""

ENTERPRISE_HEADER_ALIASES: dict[str, list[str]] = {
    "name": ["企业名称", "公司名称", "单位名称", "name", "company name", "enterprise name"],
    "uscc": ["统一社会信用代码", "信用代码", "社会信用代码", "USCC", "unified social credit code", "credit code"],
    "business_scope": ["经营范围", "business scope"],
    "region": ["地区", "所在地区", "城市", "所在城市", "region", "city"],
    "province": ["所在省份", "省份", "province"],
    "registered_date": ["注册日期", "成立日期", "registered date", "registration date", "founded"],
    "enterprise_type": ["企业类型", "公司类型", "enterprise type", "company type"],
    "registered_capital": ["注册资金", "注册资本", "registered capital"],
    "address": ["注册地址", "地址", "住所", "address", "registered address"],
}
