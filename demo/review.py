"""The demo's review chain at 华中科技大学: a college admin of its 计算机科学与技术学院 and two inventors (of that
college and of 电气与电子工程学院), with patents at each step — a draft, a submitted one, a college-approved one,
one returned with a comment, one approved by the university — so the queue, the home counts, 我的专利 and the
per-step shares have something to show. The moves go through patents.review (audit log, notifications) as the users
would make them. Idempotent: a second load finds the accounts and changes nothing."""

from __future__ import annotations

from dataclasses import dataclass

from accounts.models import Role, User
from accounts.services import user_create
from patents.models import College, Institution, InventoryStatus, Patent, PatentInventor, ReviewStatus
from patents.review import patent_approve, patent_return, patents_submit

HUST = "4142010487"
CS, EE = "计算机科学与技术学院", "电气与电子工程学院"
RETURN_COMMENT = "摘要未写明技术效果和应用场景，请补充后重新提交。"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    college: str
    label: str


ACCOUNTS = (
    DemoAccount("college_admin", Role.COLLEGE_ADMIN, CS, f"学院管理员（{CS}）"),
    DemoAccount("inventor", Role.INVENTOR, CS, f"发明人（{CS}）"),
    DemoAccount("inventor2", Role.INVENTOR, EE, f"发明人（{EE}）"),
)


def _drafts(college: College, n: int) -> list[Patent]:
    """The college's first `n` inventoried drafts not yet linked to an inventor."""
    return list(
        Patent.objects.filter(
            college=college,
            inventory_status=InventoryStatus.INVENTORIED,
            review_status=ReviewStatus.DRAFT,
            inventor_links__isnull=True,
        ).order_by("application_number")[:n]
    )


def review_load(*, password: str) -> list[tuple[str, str, str]]:
    """Create the accounts (once) and move their patents along the chain; the logins, as (username, password,
    label)."""
    hust = Institution.objects.filter(moe_code=HUST).first()
    officer = User.objects.filter(role=Role.OFFICER, institution=hust).order_by("pk").first()
    colleges = {c.name: c for c in College.objects.filter(institution=hust, name__in=(CS, EE))}
    if hust is None or officer is None or len(colleges) < 2:
        return []
    logins = []
    created: dict[str, User] = {}
    for account in ACCOUNTS:
        user = User.objects.filter(username=account.username).first()
        if user is None:
            user = user_create(
                username=account.username,
                password=password,
                role=account.role,
                first_name=account.label,
                institution=hust,
                college=colleges[account.college],
            )
            created[account.username] = user
        logins.append((account.username, password, account.label))
    if len(created) == len(ACCOUNTS):  # a first load: the chain's moves
        _moves(created, officer, colleges)
    return logins


def _moves(users: dict[str, User], officer: User, colleges: dict[str, College]) -> None:
    admin, inventor, inventor2 = users["college_admin"], users["inventor"], users["inventor2"]
    cs = _drafts(colleges[CS], 5)
    ee = _drafts(colleges[EE], 2)
    PatentInventor.objects.bulk_create(
        [PatentInventor(patent=p, user=inventor) for p in cs] + [PatentInventor(patent=p, user=inventor2) for p in ee]
    )
    if len(cs) < 5 or len(ee) < 2:
        return
    _draft, submitted, college_approved, returned, university_approved = cs  # the first stays a draft
    patents_submit(patents=[submitted, college_approved, returned, university_approved], user=inventor)
    for patent in (college_approved, university_approved):
        patent_approve(patent=patent, user=admin)
    patent_approve(patent=university_approved, user=officer)
    patent_return(patent=returned, user=admin, comment=RETURN_COMMENT)
    patents_submit(patents=[ee[1]], user=inventor2)  # waits for the officers' college step: EE has no admin
