"""The roles the access tests walk, in one order."""

ROLES = (
    "anonymous",
    "no_role",
    "officer",
    "college_admin",
    "inventor",
    "member",
    "province",
    "city",
    "admin",
    "superuser",
)
