"""Enterprises (the demand side), their technology needs, follows of pooled patents, docking and notifications,
split by subdomain; every model is imported here, where Django, the migrations and the callers find it.

enterprise     the enterprise and its technology needs
claims         claims of registry enterprises and the bureau's one-time claim codes
follows        follows (关注) of pooled patents and the patents officers push to enterprises
docking        docking requests, their states, decline reasons and events
notifications  in-app notifications
alerts         saved searches (订阅), the alerts sent for them, the home page's last visit
"""

from enterprises.models.alerts import SAVED_SEARCH_FILTERS, HomeVisit, SavedSearch, SentAlert
from enterprises.models.claims import EnterpriseClaim, EnterpriseClaimCode
from enterprises.models.docking import (
    OPEN_DOCKING_STATUSES,
    DeclineReason,
    DockingEvent,
    DockingRequest,
    DockingStatus,
    contract_upload_to,
)
from enterprises.models.enterprise import Enterprise, TechNeed
from enterprises.models.follows import PatentFollow, PatentPush
from enterprises.models.notifications import Notification

__all__ = [
    "SAVED_SEARCH_FILTERS",
    "OPEN_DOCKING_STATUSES",
    "DeclineReason",
    "DockingEvent",
    "DockingRequest",
    "DockingStatus",
    "Enterprise",
    "EnterpriseClaim",
    "EnterpriseClaimCode",
    "HomeVisit",
    "Notification",
    "PatentFollow",
    "PatentPush",
    "SavedSearch",
    "SentAlert",
    "TechNeed",
    "contract_upload_to",
]
