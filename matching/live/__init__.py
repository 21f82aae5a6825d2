"""The current run kept live between full runs.

index      the run's index with every patent pooled, edited or withdrawn since the run folded in (per process)
ranking    ranking on demand against it: `Ranked`, and the enterprises that fit one patent (its push list)
rerank     the stored lists kept in step: an enterprise re-ranked now (its needs changed), the enterprises whose
           lists newly pooled patents now beat (the tasks of matching/tasks.py call these two)

Imports: rerank -> ranking -> index -> matching.runs (the run's files, token rules, the current run).
"""
