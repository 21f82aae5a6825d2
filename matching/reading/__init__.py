"""What the pages and the API read of matching (reads only; the current run from matching.runs.current, rankings
on demand against the live index, matching.live).

recommendations  an enterprise's stored recommendations through the pool rule (all its needs together)
needs            one of its open needs ranked alone, on demand
search           free text or a patent number ranked by the engine, with facets, cached a minute
push_list        a patent's push list: the enterprises that fit it, within the caller's scope
needs_hall       open needs with the best patents of the caller's pool for each (the needs hall)
"""
