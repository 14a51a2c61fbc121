"""`python -m daman_tui` is the same as the `daman` command."""

from daman_tui.cli import main

main()
