"""``python -m subkit``: the same as the ``subkit`` command."""

from subkit.cli import main

if __name__ == "__main__":
    main()
