from django.core.management.base import BaseCommand
from django.utils import timezone

from enterprises.selectors.claims import enterprise_claims_unreviewed


class Command(BaseCommand):
    help = (
        "List the accounts that joined a registry enterprise by its code and name alone, before claims were reviewed "
        "(issue 21), and are still its members: for the bureau to re-check (unbind a wrong one in the admin)."
    )

    def handle(self, *args: object, **options: object) -> None:
        rows = enterprise_claims_unreviewed()
        for row in rows:
            self.stdout.write(
                "\t".join(
                    [
                        row.enterprise.uscc,
                        row.enterprise.name,
                        row.member.username,
                        timezone.localtime(row.registered_at).strftime("%Y-%m-%d %H:%M"),
                        row.enterprise.contact_email or "—",
                    ]
                )
            )
        self.stdout.write(f"未经审核的认领 / claims never reviewed: {len(rows)}")
