"""Who may see what, in one place: role predicates, the one page decorator, the one DRF permission and the navigation
flags. Every page, API, export, command and template asks this module.

The rule, per role (the scoped querysets that apply it live with the models they read, in each owner's selectors —
`patents.selectors`, `enterprises.selectors`, `imports.selectors` — built on the predicates here):
- platform admins and the province bureau: everything;
- city bureau staff: only their city — patents whose institution is in the city and the follows and docking requests
  of those institutions' patents (the patent side, as the dashboard counts them: the university's city); enterprises
  in the city and their needs (never a row of another city, also not by pk);
- tech-transfer officers: their institution's patents, follows and docking requests; every enterprise; open needs;
- college admins: their college's patents and the follows and docking requests of those patents; no enterprise
  list, no needs (never a row of another college, also not by pk);
- inventors: the patents linked to them (PatentInventor), nothing else;
- enterprise members: pooled patents; their own enterprise, needs, follows and docking requests;
- anyone else (anonymous, no role): nothing.

The pool rule (what search and recommendations show) is `patents.selectors.patents_pooled_visible_to`: visible AND
pooled, read live, so a patent withdrawn from the pool disappears at once from both.
Selectors add their select_related/annotations on top of the scoped querysets; they never widen them.

Pages declare who may open them with `@require_access(predicate)`, API views with
`permission_classes = [access_permission(predicate)]`; `access_rule_of` reads either declaration back (the permission
matrix test walks every URL with it). Templates read `access.<flag>` (NAV_FLAGS), never a role string.
"""

from collections.abc import Callable, Collection
from dataclasses import dataclass
from functools import wraps
from typing import Any, ClassVar, TypeVar, cast

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponseBase
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated

from accounts.models import Role

# `user` is a User or AnonymousUser (typed Any: request.user is either).
Predicate = Callable[[Any], bool]
_View = TypeVar("_View", bound=Callable[..., HttpResponseBase])

# --- role predicates ------------------------------------------------------------------------------


def is_signed_in(user: Any) -> bool:
    """Any signed-in user, with or without a role."""
    return bool(user.is_authenticated)


def is_platform_admin(user: Any) -> bool:
    """Platform admins (the admin role, or a Django superuser)."""
    return bool(user.is_authenticated and (user.role == Role.ADMIN or user.is_superuser))


def is_province_staff(user: Any) -> bool:
    """Platform admins and province bureau staff: the whole province."""
    return bool(user.is_authenticated and (is_platform_admin(user) or user.role == Role.BUREAU_PROVINCE))


def is_city_staff(user: Any) -> bool:
    """City bureau staff: their city only (a check constraint guarantees the city)."""
    return bool(user.is_authenticated and user.role == Role.BUREAU_CITY and user.city_id is not None)


def is_bureau(user: Any) -> bool:
    """Bureau staff of the province or of a city (not platform admins)."""
    return bool(user.is_authenticated and user.role in (Role.BUREAU_PROVINCE, Role.BUREAU_CITY))


def is_bureau_or_admin(user: Any) -> bool:
    """Bureau staff of the province or of a city, or platform admins."""
    return is_bureau(user) or is_platform_admin(user)


def is_officer(user: Any) -> bool:
    """A tech-transfer officer bound to an institution."""
    return bool(user.is_authenticated and user.role == Role.OFFICER and user.institution_id is not None)


def is_college_admin(user: Any) -> bool:
    """A college administrator bound to one college of an institution (a check constraint guarantees both)."""
    return bool(user.is_authenticated and user.role == Role.COLLEGE_ADMIN and user.college_id is not None)


def is_inventor(user: Any) -> bool:
    """An inventor's account: the patents linked to them only."""
    return bool(user.is_authenticated and user.role == Role.INVENTOR and user.institution_id is not None)


def is_reviewer(user: Any) -> bool:
    """Who reviews patents on their way into the pool: officers (the institution) and college admins (a college)."""
    return is_officer(user) or is_college_admin(user)


def is_patent_describer(user: Any) -> bool:
    """Who describes and submits patents: officers, college admins and inventors (each within their scope)."""
    return is_reviewer(user) or is_inventor(user)


def is_officer_bureau_or_admin(user: Any) -> bool:
    """Officers, bureau staff and platform admins: the roles with statistics (dashboard, response times, push
    lists)."""
    return is_officer(user) or is_bureau_or_admin(user)


def is_enterprise_member(user: Any) -> bool:
    """A member bound to an enterprise."""
    return bool(user.is_authenticated and user.role == Role.ENTERPRISE and user.enterprise_id is not None)


def has_role(user: Any) -> bool:
    """Any platform role: members, officers, college admins, inventors, bureau staff and admins (not a signed-in user
    without a role)."""
    return is_enterprise_member(user) or is_officer_bureau_or_admin(user) or is_patent_describer(user)


# What an API answers (403) when a predicate refuses; Chinese first, then English.
DENIED_MESSAGES: dict[Predicate, str] = {
    is_signed_in: "请先登录 / Please sign in",
    is_officer: "仅高校技术转移人员可操作 / tech-transfer officers only",
    is_reviewer: "仅高校技术转移人员或学院管理员可操作 / officers or college admins only",
    is_patent_describer: "仅高校、学院或发明人可操作 / institutions, colleges or inventors only",
    is_enterprise_member: "仅企业用户可以执行此操作 / Only enterprise members can do this",
    is_province_staff: "仅省知识产权局工作人员或平台管理员 / province bureau staff or platform admins only",
    is_bureau_or_admin: "仅知识产权局工作人员或平台管理员 / bureau staff or platform admins only",
    is_officer_bureau_or_admin: "仅高校与知识产权局可查看 / Institutions and the IP bureau only",
    has_role: "您的账号尚未分配角色 / Your account has no role yet",
}

# Pages and endpoints anyone may open, signed in or not (by URL name).
PUBLIC_URL_NAMES = frozenset(
    {
        "login",
        "logout",
        "healthz",
        "favicon",
        "set_language",
        "api-token",
        "enterprises:signup",
        "enterprises-api:enterprise-register",
        "enterprises:unsubscribe",  # the signed link of an alert e-mail: the signature is the credential
        "patents:invitation_accept",  # the signed invitation link is the credential
    }
)

# --- declaring access: the page decorator and the DRF permission ----------------------------------------------------


@dataclass(frozen=True)
class AccessRule:
    """Who may open a view; `hidden` answers 404 instead of 403 (the page is not theirs, do not reveal it)."""

    predicate: Predicate
    hidden: bool = False

    def allows(self, user: Any) -> bool:
        return self.predicate(user)


def require_access(predicate: Predicate, *, hidden: bool = False) -> Callable[[_View], _View]:
    """The page decorator: anonymous users go to the login page; signed-in users `predicate` refuses get 403 (404
    when `hidden`)."""
    rule = AccessRule(predicate, hidden)

    def decorator(view: _View) -> _View:
        @wraps(view)
        def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not predicate(request.user):
                raise Http404 if hidden else PermissionDenied
            return view(request, *args, **kwargs)

        wrapped = login_required(checked)
        wrapped.access_rule = rule  # type: ignore[attr-defined]
        return cast(_View, wrapped)

    return decorator


class AccessPermission(BasePermission):
    """The DRF permission: the caller must be signed in and satisfy `predicate` (for the listed viewset `actions`
    only, when given; the other actions need a signed-in caller).

    Anonymous callers get 401/403 from DRF; signed-in callers the predicate refuses get 403 with the predicate's
    message, or 404 when `hidden`. Build one with `access_permission(...)`.
    """

    rule: ClassVar[AccessRule] = AccessRule(is_signed_in)
    actions: ClassVar[frozenset[str] | None] = None

    def applies_to(self, action: str | None) -> bool:
        return self.actions is None or action in self.actions

    def has_permission(self, request: Any, view: Any) -> bool:
        if not request.user.is_authenticated:
            return False
        if not self.applies_to(getattr(view, "action", None)) or self.rule.allows(request.user):
            return True
        if self.rule.hidden:
            raise NotFound
        return False


def access_permission(
    predicate: Predicate, *, hidden: bool = False, actions: Collection[str] | None = None
) -> type[AccessPermission]:
    """An AccessPermission class for `predicate` (used as `permission_classes = [access_permission(is_officer)]`)."""
    attributes = {
        "rule": AccessRule(predicate, hidden),
        "actions": frozenset(actions) if actions is not None else None,
        "message": DENIED_MESSAGES.get(predicate, DENIED_MESSAGES[is_signed_in]),
    }
    return type(f"Access_{predicate.__name__}", (AccessPermission,), attributes)


def access_rule_of(callback: Any, method: str = "GET") -> AccessRule | None:
    """The access a resolved view declares for `method` (None: open to anyone, or undeclared).

    Pages: their `require_access`. API views: the last AccessPermission that applies to the method's action;
    DRF's IsAuthenticated (the default permission) counts as `is_signed_in`.
    """
    view_class = getattr(callback, "cls", None)
    if view_class is None:
        return getattr(callback, "access_rule", None)
    action = (getattr(callback, "actions", None) or {}).get(method.lower())
    rule = None
    for permission in view_class.permission_classes:
        if isinstance(permission, type) and issubclass(permission, AccessPermission):
            if permission.actions is None or action in permission.actions:
                rule = permission.rule
            elif rule is None:
                rule = AccessRule(is_signed_in)
        elif permission is IsAuthenticated and rule is None:
            rule = AccessRule(is_signed_in)
        elif permission is AllowAny:
            return None
    return rule


# --- navigation flags ---------------------------------------------------------------------------------------------

# `access.<flag>` in templates: which menus and links a user is shown.
NAV_FLAGS: dict[str, Predicate] = {
    "is_signed_in": is_signed_in,
    "is_officer": is_officer,  # inventory, imports, docking inbox, followers
    "is_college_admin": is_college_admin,  # the college's patents, imports, the review queue
    "is_inventor": is_inventor,  # 我的专利
    "is_reviewer": is_reviewer,  # the review queue (待审核)
    "is_enterprise_member": is_enterprise_member,  # recommendations, search, needs, follows, dockings
    "is_bureau": is_bureau,  # all patents, the review queue
    "sees_dashboard": is_officer_bureau_or_admin,
    "runs_matching": is_province_staff,
    "sees_push_lists": is_officer_bureau_or_admin,
}


def nav_access(request: HttpRequest) -> dict[str, Any]:
    """Context processor: `access` holds NAV_FLAGS for the current user, `role` (a CSS class) and `opens_admin`."""
    user = getattr(request, "user", None)
    if user is None:
        return {"access": dict.fromkeys(NAV_FLAGS, False) | {"role": "", "opens_admin": False}}
    flags: dict[str, Any] = {name: predicate(user) for name, predicate in NAV_FLAGS.items()}
    flags["role"] = user.role if user.is_authenticated else ""
    flags["opens_admin"] = bool(user.is_authenticated and user.is_staff)
    return {"access": flags}
