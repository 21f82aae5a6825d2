"""Matching runs, their chunks, the patents recommended to each enterprise and the per-patent token cache."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MatchRun(models.Model):
    """One full matching run; readers serve the latest complete run until a newer one completes."""

    class Status(models.TextChoices):
        PENDING = "pending", _("排队中")
        RUNNING = "running", _("运行中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.PENDING, db_index=True)
    is_current = models.BooleanField(_("当前服务"), default=False, db_index=True)
    progress = models.PositiveSmallIntegerField(_("进度(%)"), default=0)
    chunks_total = models.PositiveIntegerField(_("分块总数"), default=0)
    parameters = models.JSONField(_("参数"), default=dict, blank=True)
    counts = models.JSONField(_("数量"), default=dict, blank=True)
    timings = models.JSONField(_("耗时(秒)"), default=dict, blank=True)
    index_path = models.CharField(_("索引文件"), max_length=255, blank=True)
    error = models.TextField(_("错误"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("匹配运行")
        verbose_name_plural = _("匹配运行")

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_status_display()}"


class MatchChunk(models.Model):
    """One chunk of a run (MATCHING_ENTERPRISE_CHUNK enterprises, in primary-key order); a chunk that is re-run
    replaces its own rows, so redelivery is harmless."""

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="chunks")
    number = models.PositiveIntegerField()
    done = models.BooleanField(default=False)
    # a run sharded by patents: the shards this chunk has been ranked against (its candidates stored); the task that
    # completes the list merges them and writes the chunk's rows (matching.runs.chunks)
    shards_ranked = models.JSONField(default=list, blank=True)
    rows = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["run", "number"], name="matchchunk_unique")]

    def __str__(self) -> str:
        return f"run {self.run_id} #{self.number}"


class Recommendation(models.Model):
    """A patent recommended to an enterprise by a run, with its rank. (The other way, the enterprises that fit a
    patent, is ranked on demand from the run's files: matching.live.ranking.patent_push_list.)"""

    # Derived rows, 1.3 M per province run, rewritten every night from ids read in the same run: no database-level
    # foreign keys (PostgreSQL checked and key-share-locked every referenced row at each chunk's commit, seconds per
    # run). Deletes still cascade through the ORM; readers join patents, so a row whose patent vanished is not shown.
    # The run's own index is the unique constraint's prefix.
    run = models.ForeignKey(
        MatchRun, on_delete=models.CASCADE, related_name="recommendations", db_constraint=False, db_index=False
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    # No index on the patent alone: its keys arrive in random order, and keeping that b-tree doubled the time of
    # each chunk's COPY; the only query by patent is the cascade when a patent is deleted (one scan, rare).
    patent = models.ForeignKey(
        "patents.Patent", on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )
    rank = models.PositiveSmallIntegerField()
    # score = (1 - w) * lexical + w * semantic (matching.engine.semantic); the terms explain the lexical part
    score = models.FloatField()
    semantic = models.FloatField(default=0.0)  # the semantic part (latent-space similarity, 0..1) of the score
    final_score = models.FloatField()  # after docking / follow feedback: what the ranking uses
    terms = models.JSONField(default=list)  # the shared terms that contributed most to the lexical part, best first

    class Meta:
        ordering = ["rank"]
        verbose_name = _("推荐")
        verbose_name_plural = _("推荐")
        constraints = [models.UniqueConstraint(fields=["run", "enterprise", "patent"], name="recommendation_unique")]

    def __str__(self) -> str:
        return f"{self.enterprise_id}→{self.patent_id} #{self.rank}"


class PatentTokens(models.Model):
    """Tokens of a patent's text, keyed by a hash of that text: a rebuild re-tokenizes only what changed."""

    patent = models.OneToOneField("patents.Patent", on_delete=models.CASCADE, primary_key=True, related_name="+")
    text_hash = models.CharField(max_length=32)
    tokens = models.TextField()  # space-joined

    def __str__(self) -> str:
        return f"tokens of patent {self.patent_id}"


class EnterpriseTokens(models.Model):
    """Weighted query tokens of an enterprise (open needs, business scope, products), keyed by a hash of that text:
    a run re-tokenizes only the enterprises whose text changed."""

    enterprise = models.OneToOneField(
        "enterprises.Enterprise", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    text_hash = models.CharField(max_length=32)
    tokens = models.TextField()  # space-joined

    def __str__(self) -> str:
        return f"tokens of enterprise {self.enterprise_id}"


class EnterpriseSupply(models.Model):
    """An enterprise's closest pooled supply in the current run: the best score of a pooled patent in its top-k list
    and that patent (what classifies its open needs by IPC section and industry on the supply-and-demand dashboard;
    satisfiable when the score reaches SUPPLY_DEMAND_THRESHOLD). Derived rows, written with patents.PatentDemand by
    matching.runs.demand. docs/supply_demand.md."""

    enterprise = models.OneToOneField(
        "enterprises.Enterprise", on_delete=models.CASCADE, primary_key=True, related_name="supply", db_constraint=False
    )
    run_id = models.PositiveIntegerField()
    best_score = models.FloatField(db_index=True)
    best_patent = models.ForeignKey(
        "patents.Patent", on_delete=models.SET_NULL, null=True, related_name="+", db_constraint=False
    )

    def __str__(self) -> str:
        return f"{self.enterprise_id}: {self.best_score:.3f}"
