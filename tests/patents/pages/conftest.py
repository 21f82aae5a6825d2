"""Officer page tests: a client whose POSTs run the on-commit callbacks, and a small inventory."""

from datetime import date

import pytest

from tests.patents.pages.helpers import make_patent


@pytest.fixture
def client(committing_client):
    """The test client here runs the on-commit callbacks of its POSTs (queued tasks), as a committed request would."""
    return committing_client


@pytest.fixture
def inventory(institution, other_institution):
    """Four patents of the officer's institution and one of another."""
    return {
        "drone": make_patent(
            institution, "202223220665.2", title="一种无人机机载多功能盒", patent_type="utility_model",
            application_date=date(2022, 12, 2), ipc_section="B", value_grade="A", transfer_modes=["assignment"],
        ),
        "camera": make_patent(
            institution, "202122975192.6", title="一种可拍照便携式实时语音播报端测摄像头", patent_type="utility_model",
            application_date=date(2021, 11, 30), ipc_section="H", value_grade="B", inventory_status="pooled",
            transfer_modes=["licence"],
        ),
        "keywords": make_patent(
            institution, "202211740332.4", title="一种基于图模型的新闻关键词抽取方法及装置",
            application_date=date(2022, 12, 30), ipc_section="G", legal_status="pending",
        ),
        "lapsed": make_patent(
            institution, "202121751980.0", title="一种搭载热成像的农作物监管无人机", patent_type="utility_model",
            application_date=date(2021, 7, 30), ipc_section="B", legal_status="invalid", transfer_modes=["assignment"],
        ),
        "other": make_patent(other_institution, "202310605823.6", title="一种人员聚集发现算法", ipc_section="G"),
    }  # fmt: skip
