"""Shared by the scripts that generate Swift data tables (phone-metadata.py, first-names.py)."""


def print_wrapped(items, width=120, indent=8):
    """Prints `items` as a comma-separated Swift array body, wrapped at `width` columns."""
    line = " " * (indent - 1)
    for item in items:
        piece = " " + item + ","
        if len(line) + len(piece) > width:
            print(line)
            line = " " * (indent - 1)
        line += piece
    print(line)
