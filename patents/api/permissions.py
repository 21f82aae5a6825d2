from rest_framework.permissions import BasePermission


class IsOfficer(BasePermission):
    """Tech-transfer officers bound to an institution."""

    message = "仅高校技术转移人员可操作 / tech-transfer officers only"

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.is_officer and user.institution_id)
