"""Notifications of the patent review chain (patents.review queues them through patents.hooks.review_moved): the next
reviewers when a patent waits for them, the submitter and the patent's inventors when it is returned, refused,
approved or pooled."""

from django.db.models import QuerySet
from django.urls import reverse

from accounts.models import Role, User
from enterprises.models import Notification
from enterprises.notification_texts import (
    PATENT_APPROVED,
    PATENT_POOLED,
    PATENT_REJECTED,
    PATENT_RETURNED,
    PATENT_SUBMITTED,
)
from enterprises.services.notifications import notification_send
from patents.models import Patent, ReviewStatus

_TO_SUBMITTER = {"returned": PATENT_RETURNED, "rejected": PATENT_REJECTED, "pooled": PATENT_POOLED}


def _reviewers_of(patent: Patent) -> QuerySet[User]:
    """Who acts next on the patent at its review step."""
    if patent.review_status == ReviewStatus.SUBMITTED and patent.college_id is not None:
        return User.objects.filter(role=Role.COLLEGE_ADMIN, college_id=patent.college_id)
    return User.objects.filter(role=Role.OFFICER, institution_id=patent.institution_id)


def _submitters_of(patent: Patent, actor_pk: int | None) -> list[User]:
    """The submitter and the patent's inventors (not the one who acted)."""
    users = {link.user for link in patent.inventor_links.select_related("user")}
    if patent.review_submitted_by is not None:
        users.add(patent.review_submitted_by)
    return sorted((u for u in users if u.pk != actor_pk), key=lambda u: u.pk)


def review_notices_send(*, patent_pk: int, event: str, actor_pk: int | None, comment: str = "") -> list[Notification]:
    """Notify who the move concerns; nothing when the patent is gone."""
    patent = Patent.objects.select_related("review_submitted_by").filter(pk=patent_pk).first()
    if patent is None:
        return []
    params = {"title": patent.title[:80], "number": patent.application_number, "note": comment}
    if event in ("submitted", "approved") and patent.review_status != ReviewStatus.DRAFT:
        created = notification_send(
            recipients=[u for u in _reviewers_of(patent) if u.pk != actor_pk],
            kind=Notification.Kind.PATENT_REVIEW,
            message_kind=PATENT_SUBMITTED,
            params=params,
            url=reverse("patents:review_queue"),
        )
        if event == "approved":
            created += notification_send(
                recipients=_submitters_of(patent, actor_pk),
                kind=Notification.Kind.PATENT_REVIEW,
                message_kind=PATENT_APPROVED,
                params=params,
                url=reverse("patents:my_patents"),
            )
        return created
    if event in _TO_SUBMITTER:
        return notification_send(
            recipients=_submitters_of(patent, actor_pk),
            kind=Notification.Kind.PATENT_REVIEW,
            message_kind=_TO_SUBMITTER[event],
            params=params,
            url=reverse("patents:my_patents"),
        )
    return []
