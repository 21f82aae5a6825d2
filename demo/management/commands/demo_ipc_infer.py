"""python manage.py demo_ipc_infer — (re)write demo_data/kppatent-zh/ipc_inferred.csv (see demo.ipc_infer)."""

import csv
import time

from django.core.management.base import BaseCommand

from demo.ipc_infer import LabelledTitle, ipc_infer
from demo.sources import KPPATENT_IPC, TITLES_IPC, kppatent_texts, read_csv


class Command(BaseCommand):
    help = "Infer IPC subclasses of the KPPatent-ZH demo patents from the nearest real cn-patent-ipc titles."

    def handle(self, *args, **options) -> None:
        started = time.monotonic()
        titles = [
            LabelledTitle(row["publication_number"], row["title"], tuple(row["ipc_subclasses"].split("|")))
            for row in read_csv(TITLES_IPC)
        ]
        texts = kppatent_texts()
        # what a title says: the patent's title (when usable) and its abstract's first sentence
        queries = {key: f"{title} {abstract.split('。', 1)[0]}" for key, (title, abstract) in texts.items()}
        inferred = ipc_infer(texts=queries, titles=titles)
        with KPPATENT_IPC.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(["key", "ipc_subclasses", "nearest_publication_number", "score"])
            for key in texts:
                found = inferred.get(key)
                if found is not None:
                    writer.writerow([key, "|".join(found.subclasses), found.nearest, f"{found.score:.4f}"])
                else:
                    writer.writerow([key, "", "", ""])
        self.stdout.write(
            f"{len(inferred)} / {len(texts)} 件专利已推断 IPC / patents got inferred IPC subclasses "
            f"in {time.monotonic() - started:.1f} s → {KPPATENT_IPC}"
        )
