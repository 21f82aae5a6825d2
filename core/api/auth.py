"""API sign-in (token) and sign-out (revoke): throttled per client address, tokens expire."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import permissions, serializers, status
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.services import api_token_issue, api_token_revoke
from core.http import authed_user
from core.lockout import SignInLockedOut, lockout_of
from core.throttling import LOGIN_SCOPE, ClientAddressThrottledApiView, FailuresOnlyThrottle, throttle_count


class AuthTokenCreateApi(ClientAddressThrottledApiView):
    """Exchange a username and password for an API token (valid API_TOKEN_TTL_DAYS days from issue); failed
    attempts count against the address's sign-in rate (shared with the sign-in page), successful ones do not. A
    username locked from this address (django-axes) gets 429 `locked_out` saying until when."""

    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []
    throttle_classes = [FailuresOnlyThrottle]
    throttle_scope = LOGIN_SCOPE

    @extend_schema(
        request=AuthTokenSerializer,
        responses={200: inline_serializer("AuthTokenOutput", {"token": serializers.CharField()})},
    )
    def post(self, request: Request) -> Response:
        data = AuthTokenSerializer(data=request.data, context={"request": request})
        if not data.is_valid():
            throttle_count(request, scope=LOGIN_SCOPE)
            if getattr(request, "axes_locked_out", False):  # django-axes marks the request it refused
                raise SignInLockedOut(lockout_of(request, {"username": data.initial_data.get("username")}))
            raise ValidationError(data.errors)
        token = api_token_issue(user=data.validated_data["user"])
        return Response({"token": token.key})


class AuthLogoutApi(APIView):
    """Revoke the caller's API token (every client using it must sign in again)."""

    @extend_schema(request=None, responses={204: None})
    def post(self, request: Request) -> Response:
        api_token_revoke(user=authed_user(request))
        return Response(status=status.HTTP_204_NO_CONTENT)
