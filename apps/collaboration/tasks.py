from celery import shared_task

from . import services


@shared_task(name="collaboration.expire_invitations")
def expire_invitations() -> int:
    return services.invitations_expire()
