"""Groups of `daman` commands too large for cli.py, each registering itself on the app."""
