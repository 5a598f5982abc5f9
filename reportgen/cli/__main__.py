"""``python -m reportgen.cli``: the same command as the ``reportgen`` script."""

from reportgen.cli import main

main()
