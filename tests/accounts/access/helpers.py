"""The roles the access tests walk, in one order."""

ROLES = ("anonymous", "no_role", "officer", "member", "province", "city", "admin", "superuser")
