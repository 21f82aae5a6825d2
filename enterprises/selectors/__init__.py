"""Reads for enterprises, scoped to what the user may see, split by subdomain: each module holds the scoped querysets
of its models (the rule of accounts.access) and the reads built on them.

profile        enterprises: who sees which, the list, the registration review queue and its reviewers
claims         claims of registry enterprises: the review queue, a claimant's claims, claim codes' enterprises
needs          technology needs
follows        follows (关注) of pooled patents, and the follow / docking buttons of a patent's page
docking        docking requests: lists, the inbox, parties and actions, response times, decline reasons
notifications  in-app notifications and who a notification to an enterprise reaches
"""
