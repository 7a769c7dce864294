"""One small exception hierarchy; the CLI alone turns these into messages and exit codes."""
from __future__ import annotations


class KGError(Exception):
    """Base class: a problem the user can fix; str(err) is a one-line message."""

    exit_code = 2


class InputError(KGError):
    """Unreadable or unusable input; names the file and, when known, the line."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None):
        self.path, self.line, self.reason = path, line, message
        where = f"{path}:{line}: " if path and line else (f"{path}: " if path else "")
        super().__init__(where + message)


class UnknownNameError(KGError):
    """A registry lookup (reader, exporter, query) failed; the message lists what exists."""

    def __init__(self, what: str, name: str, available: list[str] | tuple[str, ...], option: str = ""):
        hint = f" Try {option} {available[0]}" if option and available else ""
        super().__init__(f"Unknown {what} '{name}'. Available: {', '.join(available)}.{hint}")


class GraphNotFoundError(KGError):
    """No built graph where a command expected one."""

    def __init__(self, directory: str):
        super().__init__(f"No built graph in {directory}. Run `kg build` first (or pass --graph DIR).")
