"""Back-office views: thin; forms validate, actions act (see ../actions.py)."""
