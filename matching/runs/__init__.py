"""A full matching run's life: start (one at a time), prepare, rank and store its chunks, finalise, recover.

start      match_run_start: every entry point (page, API, beat, command) records and starts a run here
guard      one run at a time, a run's failure, the embedded configuration's in-process runs (no broker)
tasks      the run's Celery tasks (prepare, then one task per chunk); only start and recover send them
prepare    what a run matches, its token caches (tokens), fit, queries, the run's files (artifacts)
chunks     rank one chunk (feedback, explanations) and store its rows (rows, writes), idempotently
finalise   the run that completes becomes current; older runs' rows and files are dropped
inline     a whole run in this process (the command, `make run`'s thread, tests, benches)
recover    re-send what a dead worker or a lost broker message left unfinished
current    the run readers see (the latest complete one), the runs list
progress   what the runs page shows of each run while it polls

Imports go one way (the import-linter cycle contract checks it): start -> inline, tasks; recover -> tasks;
tasks -> chunks, prepare, guard; chunks -> finalise -> writes, artifacts, current; prepare -> tokens, artifacts,
guard. Only start and recover send the run's tasks, and nothing in this package imports the live index, the
reading side, matching/tasks.py or the pages.
"""
