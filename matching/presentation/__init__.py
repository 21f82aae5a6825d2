"""What the matching pages and API show around a ranking (read, never ranked here).

search           the search page's facets as filter links and the filters in force, each with its removal link
recommendations  the needs each stored recommendation came from (the card's 来自需求)
push             why each enterprise is on a patent's push list (terms, needs, profile excerpt, last push) and what
                 the officer reads after a push
needs_hall       the needs hall's filters and what the officer reads after recommending patents for a need

The template filters (highlighted terms, percentages, the feedback change) stay in matching/templatetags/, where
Django's `{% load matching_tags %}` finds them.
"""
