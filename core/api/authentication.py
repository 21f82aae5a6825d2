"""Token authentication whose tokens expire (settings.API_TOKEN_TTL_DAYS after they were issued)."""

from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from accounts.services import api_token_is_expired

TOKEN_EXPIRED_MESSAGE = "令牌已过期，请重新获取 / The token has expired: request a new one"


class ExpiringTokenAuthentication(TokenAuthentication):
    """`Authorization: Token …`; an expired token is deleted and answered 401 (with WWW-Authenticate: Token)."""

    def authenticate_credentials(self, key: str) -> tuple:
        user, token = super().authenticate_credentials(key)
        if api_token_is_expired(token=token):
            token.delete()
            raise exceptions.AuthenticationFailed(TOKEN_EXPIRED_MESSAGE)
        return user, token
