"""Inventors invited by e-mail: a signed link that expires and works once; accepting binds and links."""

import re
import time

import pytest
from django.core import mail, signing
from django.urls import reverse

from accounts.models import Role, User
from core.errors import ApplicationError
from patents.invitations import MAX_AGE_DAYS, inventor_invite, invitation_accept, invitation_token
from patents.models import InventorInvitation, PatentInventor

pytestmark = pytest.mark.django_db


def test_a_college_admin_invites_an_inventor_who_sets_a_password_and_gets_the_patents(
    client, make_patent, college_admin, college, django_capture_on_commit_callbacks
):
    # given
    patents = [make_patent(), make_patent()]
    make_patent()  # not chosen
    with django_capture_on_commit_callbacks(execute=True):
        invitation = inventor_invite(user=college_admin, email="li@hust.edu.cn", patents=patents)
    [link] = re.findall(r"https?://[^/\s]+(/patents/invitation/\S+/)", mail.outbox[0].body)
    # when
    response = client.post(link, {"username": "li_ming", "password1": "Xq7-long-pass", "password2": "Xq7-long-pass"})
    # then
    user = User.objects.get(username="li_ming")
    assert (response.status_code, response["Location"]) == (302, reverse("patents:my_patents"))
    assert (user.role, user.institution_id, user.college_id, user.email) == (
        Role.INVENTOR,
        college.institution_id,
        college.pk,
        "li@hust.edu.cn",
    )
    assert set(PatentInventor.objects.filter(user=user).values_list("patent_id", flat=True)) == {p.pk for p in patents}
    assert [m.to for m in mail.outbox] == [["li@hust.edu.cn"]]
    assert invitation.pk == InventorInvitation.objects.get(accepted_by=user).pk
    assert client.get(reverse("patents:my_patents")).status_code == 200  # signed in


def test_an_invitation_link_works_once(make_patent, officer):
    # given
    invitation = inventor_invite(user=officer, email="a@hust.edu.cn", patents=[make_patent()])
    token = invitation_token(invitation=invitation)
    invitation_accept(token=token, username="first", password="Xq7-long-pass")
    # when
    with pytest.raises(ApplicationError) as refused:
        invitation_accept(token=token, username="second", password="Xq7-long-pass")
    # then
    assert refused.value.message == "邀请链接无效、已过期或已使用 / the invitation link is invalid, expired or used"
    assert User.objects.filter(username="second").exists() is False


def test_an_expired_or_forged_link_is_refused(client, make_patent, officer, monkeypatch):
    # given: a link signed MAX_AGE_DAYS + 1 days ago, and one with a changed signature
    invitation = inventor_invite(user=officer, email="a@hust.edu.cn", patents=[make_patent()])
    now = time.time()
    monkeypatch.setattr(signing.time, "time", lambda: now - (MAX_AGE_DAYS + 1) * 86400)
    expired = invitation_token(invitation=invitation)
    monkeypatch.setattr(signing.time, "time", lambda: now)
    forged = invitation_token(invitation=invitation)[:-2] + "xx"
    users = User.objects.count()
    # when
    statuses = [
        client.post(
            reverse("patents:invitation_accept", args=[token]),
            {"username": "x", "password1": "Xq7-long-pass", "password2": "Xq7-long-pass"},
        ).status_code
        for token in (expired, forged)
    ]
    # then
    assert statuses == [404, 404]
    assert User.objects.count() == users
    assert InventorInvitation.objects.get().accepted_at is None


def test_a_college_admin_cannot_invite_to_another_colleges_patents(make_patent, college_admin, other_college):
    # given
    foreign = make_patent(college=other_college)
    # when
    with pytest.raises(ApplicationError) as refused:
        inventor_invite(user=college_admin, email="a@hust.edu.cn", patents=[foreign])
    # then
    assert foreign.application_number in refused.value.message
    assert InventorInvitation.objects.count() == 0


def test_the_invite_page_refuses_numbers_outside_the_scope(client, make_patent, college_admin, other_college):
    # given
    client.force_login(college_admin)
    foreign = make_patent(college=other_college)
    # when
    response = client.post(reverse("patents:invite"), {"email": "a@hust.edu.cn", "numbers": foreign.application_number})
    # then
    assert response.status_code == 400
    assert f"不是您可管理的专利：{foreign.application_number}" in response.content.decode()
    assert InventorInvitation.objects.count() == 0
