"""Inventors' accounts: a college (its admin or an officer) invites an inventor by e-mail with a signed link that
expires; accepting it creates the inventor's account bound to the institution and college, with the chosen patents
linked (PatentInventor). Inventors are optional: a patent without one is described and submitted by its college."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.access import is_college_admin, is_reviewer
from accounts.models import Role, User
from accounts.services import user_create
from core.errors import ApplicationError
from core.services import audit_log_record
from patents.models import College, InventorInvitation, Patent, PatentInventor
from patents.review_rules import is_college_admin_of, is_officer_of

SALT = "patents.inventor-invitation"
MAX_AGE_DAYS = 7


def invitation_token(*, invitation: InventorInvitation) -> str:
    """The signed, timestamped token of the invitation's link."""
    return signing.TimestampSigner(salt=SALT).sign(str(invitation.pk))


def invitation_url(*, invitation: InventorInvitation) -> str:
    return settings.SITE_URL + reverse("patents:invitation_accept", args=[invitation_token(invitation=invitation)])


def invitation_from_token(*, token: str) -> InventorInvitation | None:
    """The open invitation a token names; None when forged, expired (MAX_AGE_DAYS) or already accepted."""
    try:
        pk = signing.TimestampSigner(salt=SALT).unsign(token, max_age=MAX_AGE_DAYS * 86400)
    except signing.BadSignature:  # SignatureExpired is one
        return None
    return (
        InventorInvitation.objects.select_related("institution", "college")
        .filter(pk=int(pk), accepted_at__isnull=True)
        .first()
    )


@transaction.atomic
def inventor_invite(
    *, user: User, email: str, patents: Iterable[Patent], college: College | None = None
) -> InventorInvitation:
    """Invite an inventor to the patents the inviter chose (each in the inviter's scope): a college admin to their
    college, an officer to any college of the institution (or none). The e-mail goes out after commit."""
    if not is_reviewer(user):
        raise ApplicationError("仅高校技术转移人员或学院管理员可邀请发明人 / only officers or college admins invite")
    patents = list(patents)
    email = email.strip()
    try:
        validate_email(email)
    except ValidationError:
        raise ApplicationError("请填写有效的邮箱 / enter a valid e-mail address") from None
    if not patents:
        raise ApplicationError("请至少选择一件专利 / choose at least one patent")
    if is_college_admin(user):
        college = user.college
    assert user.institution_id is not None  # officers and college admins are bound to an institution
    foreign = [p.application_number for p in patents if not (is_officer_of(user, p) or is_college_admin_of(user, p))]
    if foreign or (college is not None and college.institution_id != user.institution_id):
        raise ApplicationError(
            f"只能邀请本单位专利的发明人：{'、'.join(foreign)} / only for your own patents: {', '.join(foreign)}"
        )
    invitation = InventorInvitation.objects.create(
        email=email, institution_id=user.institution_id, college=college, invited_by=user
    )
    invitation.patents.set(patents)
    audit_log_record(
        actor=user, action="inventor.invite", target=invitation, detail={"patents": [p.pk for p in patents]}
    )
    body = (
        f"{user.get_full_name() or user.username} 邀请您在专利盘活对接平台查看并完善您的 {len(patents)} 件专利。\n"
        f"请在 {MAX_AGE_DAYS} 天内打开以下链接设置密码：\n{invitation_url(invitation=invitation)}\n\n"
        f"You are invited to describe your {len(patents)} patents on the platform; set your password within "
        f"{MAX_AGE_DAYS} days at the link above."
    )
    transaction.on_commit(partial(send_mail, "专利盘活对接平台：发明人邀请 / inventor invitation", body, None, [email]))
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, username: str, password: str) -> User:
    """Create the inventor's account from an open invitation and link its patents; the link works once."""
    invitation = invitation_from_token(token=token)
    if invitation is None:
        raise ApplicationError("邀请链接无效、已过期或已使用 / the invitation link is invalid, expired or used")
    invitation = InventorInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise ApplicationError("邀请链接无效、已过期或已使用 / the invitation link is invalid, expired or used")
    username = username.strip()
    if not username or User.objects.filter(username__iexact=username).exists():
        raise ApplicationError("用户名已被占用 / that username is taken")
    try:
        validate_password(password)
    except ValidationError as exc:
        raise ApplicationError(" ".join(exc.messages)) from None
    user = user_create(
        username=username,
        password=password,
        role=Role.INVENTOR,
        email=invitation.email,
        institution=invitation.institution,
        college=invitation.college,
    )
    PatentInventor.objects.bulk_create(
        [PatentInventor(patent=p, user=user) for p in invitation.patents.all()], ignore_conflicts=True
    )
    invitation.accepted_by = user
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_by", "accepted_at"])
    audit_log_record(actor=user, action="inventor.accept", target=invitation)
    return user
