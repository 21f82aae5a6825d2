"""Number formats for zh-hans (FORMAT_MODULE_PATH): Django's own zh_Hans formats group by 4 with no separator, so
`intcomma` printed 13460. We follow GB/T 15835-2011's 千分撇: a comma every three digits (13,460), as in English.
Everything else falls back to Django's zh_Hans formats."""

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
