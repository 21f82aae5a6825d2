"""Infrastructure tasks: a health ping that proves a worker reached the database."""

import socket

from celery import shared_task


@shared_task(name="core.health_ping_task")
def health_ping_task(token: str) -> dict:
    """Echo the token with the worker's host and the number of provinces it can read."""
    from core.models import Province

    return {"token": token, "hostname": socket.gethostname(), "provinces": Province.objects.count()}
