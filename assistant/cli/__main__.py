"""``python -m assistant.cli``: the ``faultdesk`` command."""

from assistant.cli import main

main()
