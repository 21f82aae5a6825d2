"""Writes for enterprises, split by subdomain (docs/ARCHITECTURE.md: past 400 lines a module becomes a package).

registration  self sign-up and the bureau's review of flagged codes
claims        claims of registry enterprises: submission, the bureau's decision, approval by claim code
claim_codes   the one-time claim codes the bureau issues for registry enterprises
profile       enterprise profile
needs         technology needs
follows       follows (关注) of pooled patents
docking       docking requests and their state machine
contracts     checks of uploaded contract files
notifications in-app notifications and their e-mails
push          an officer pushes a pooled patent to enterprises (PatentPush + notifications)
need_recommend an officer recommends chosen pooled patents for an open need (the needs hall; a push per patent)
"""
