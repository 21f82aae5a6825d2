"""What patents tells the layers above about its changes without importing them: each hook holds the task a higher
app registers in its AppConfig.ready() (matching.apps). Queued after commit, never critical: a later run redoes it."""

from core.jobs import TaskHook

# patents were pooled, withdrawn or edited: queued with their ids (matching re-ranks the enterprises whose stored
# recommendation lists they now enter)
pool_changed = TaskHook(what="patents pooled, withdrawn or edited")

# a patent moved on the review chain (patents.review): queued with (patent id, event, actor id, comment) after commit;
# enterprises registers the task that notifies the next reviewers or the submitter (the notifications live there)
review_moved = TaskHook(what="a patent moved on the review chain")
