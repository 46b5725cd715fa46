"""The one user-facing error type. The CLI turns it into a Chinese message and exit code 1."""


class DrafterError(Exception):
    """An error the user can act on. `str(error)` is the whole message, in Chinese,
    naming the file (and line, for YAML) and what to do."""
