"""The header aliases of the patent inventory import (matched by common.headers.map_headers): per field, the names
offices' files use, in priority order (the earliest alias wins when a file has several columns for one field)."""

PATENT_HEADER_ALIASES: dict[str, list[str]] = {
    "application_number": ["申请号", "专利申请号", "申请号码", "application number", "application no", "app no"],
    "title": ["专利名称", "发明名称", "名称", "title", "patent title"],
    "abstract": ["摘要", "申请摘要", "abstract"],
    "claims": ["主权项", "权利要求", "权利要求书", "claims", "independent claim"],
    "ipc_main": ["主分类号", "IPC主分类号", "IPC", "main IPC", "IPC main"],
    "ipc_all": ["分类号", "IPC分类号", "IPC codes", "classification"],
    "patent_type": ["专利类型", "type", "patent type"],
    "application_date": ["申请日", "申请日期", "application date", "filing date"],
    "grant_date": ["授权日", "授权公告日", "授权日期", "grant date"],
    "publication_number": ["公开号", "公开（公告）号", "公告号", "publication number", "publication no"],
    "legal_status": ["法律状态", "legal status"],
    "inventors": ["发明人", "inventors", "inventor"],
    # 申请人 first: the field is the applicant; a current-owner column (当前权利人) only fills it when the
    # file has no applicant column (see ignored_duplicates).
    "applicant": ["申请人", "专利权人", "当前权利人", "applicant", "patentee", "assignee", "owner"],
    "transfer_modes": ["转化方式", "交易方式", "许可方式", "转让方式", "transfer modes", "transfer mode"],
    "price": ["价格", "转让价格", "意向价格", "交易价格", "price", "asking price"],
    "value_grade": ["价值等级", "价值评级", "value grade"],
    "inventory_status": ["入库状态", "状态", "inventory status", "status"],
    "contact": ["联系人", "contact", "contact person"],
    "college": ["所属学院", "学院", "院系", "所属院系", "二级单位", "college", "department"],
    # the value self-assessment (专利价值分级自评), all optional
    "trl": ["技术成熟度(TRL)", "技术成熟度", "成熟度", "TRL", "技术就绪度", "technology readiness level"],
    "implemented": ["是否已实施", "是否实施", "已实施", "实施情况", "implemented"],
    "has_family": ["有同族或PCT", "有同族或PCT申请", "同族/PCT", "是否有同族", "family or PCT"],
    "application_fields": ["应用领域", "application fields", "fields of application"],
    "industry": ["所属产业", "产业", "所属行业", "industry"],
    "inventor_consent": ["发明人同意转化", "发明人是否同意转化", "发明人意愿", "inventors consent", "inventor consent"],
    "consent_modes": ["同意的转化方式", "转化意愿方式", "意向转化方式", "consented transfer modes", "consent modes"],
}
