"""What the officer page tests share: real sample rows, upload and page-reading helpers, a patent maker."""

import csv
import io
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from patents.models import InventoryStatus, Patent
from tests.patents.factories import PatentFactory

# Real rows of the PatentSemantix sample (/work/shared/data/patent-record-sample/patents.csv), claims shortened.
SAMPLE_HEADER = [
    "申请日", "公开日", "授权公告日", "申请人", "申请号", "公开号", "授权公告号", "专利类型", "专利名称", "法律状态",
    "主分类号", "分类号", "主权项",
]  # fmt: skip
DRONE_BOX = [
    "20221202", "20230328", "20230328", "中科大数据研究院", "CN202223220665.2", "CN218751475U", "CN218751475U",
    "实用新型", "一种无人机机载多功能盒", "有权-审定授权", "B64U20/80", "B64U20/80;B64U101/30",
    "1.一种无人机机载多功能盒，其特征在于，包括内盒（1），外盒（2）和内部电路",
]  # fmt: skip
CAMERA = [
    "20211130", "20220617", "20220617", "中科大数据研究院", "CN202122975192.6", "CN216774847U", "CN216774847U",
    "实用新型", "一种可拍照便携式实时语音播报端测摄像头", "有权-审定授权", "H04N5/225",
    "H04N5/225;H04N5/232;H04N5/76;H02J7/00", "1.一种可拍照便携式实时语音播报端测摄像头，包括摄像头壳体",
]  # fmt: skip
KEYWORDS = [
    "20221230", "20230609", "0", "中科大数据研究院", "CN202211740332.4", "CN116245100A", "", "发明公开",
    "一种基于图模型的新闻关键词抽取方法及装置", "审中-实质审查", "G06F40/289",
    "G06F40/289;G06F40/216;G06F16/901;G06F16/33;G06F16/31",
    "1.一种基于图模型的新闻关键词抽取方法，其特征在于，包括以下步骤",
]  # fmt: skip
# 大气质量监测系统 with a mistyped check digit (.7 instead of .6): the one bad row.
AIR_QUALITY_TYPO = [
    "20210715", "20230407", "20230407", "中科大数据研究院", "CN202121635426.7", "CN218824140U", "CN218824140U",
    "实用新型", "大气质量监测系统", "有权-审定授权", "G01N33/00", "G01N33/00;G01N15/06",
    "1.一种大气质量监测系统，其特征在于，包括：无人机和与无人通信连接的管控设备",
]  # fmt: skip
TYPO_MESSAGE = "第4行 申请号: 校验位错误，应为 6 / Row 4, application number: wrong check digit, expected 6"


def sample_csv(rows: list[list[str]], encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(SAMPLE_HEADER)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def upload(client, content: bytes, *, name: str = "盘点清单.csv", valid_rows_only: bool = False):
    data = {"file": SimpleUploadedFile(name, content, content_type="text/csv")}
    if valid_rows_only:
        data["valid_rows_only"] = "on"
    return client.post(reverse("patents:import_upload"), data)


def count_in(html: str, name: str) -> str:
    match = re.search(rf'data-count="{name}">([^<]*)<', html)
    return match.group(1) if match else ""


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def make_patent(institution, number: str, **fields) -> Patent:
    """A patent as an officer's inventory holds it: valid, inventoried (not pooled), no transfer modes unless given."""
    defaults = {
        "title": f"专利 {number}",
        "patent_type": "invention",
        "legal_status": "valid",
        "inventory_status": InventoryStatus.INVENTORIED,
        "transfer_modes": [],
    }
    return PatentFactory(application_number=number, institution=institution, **{**defaults, **fields})


def listed(client, **params) -> list[str]:
    response = client.get(reverse("patents:inventory"), params)
    assert response.status_code == 200
    return [p.application_number for p in response.context["page"].object_list]


def bulk(client, action: str, patents: list[Patent], **extra):
    data = {"action": action, "patents": [p.pk for p in patents], **extra}
    return client.post(reverse("patents:inventory_bulk"), data, follow=True)
