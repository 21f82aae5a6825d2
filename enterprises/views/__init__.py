"""Portal pages of the enterprises app, one module per area; every view is thin (selectors read, services write)."""
