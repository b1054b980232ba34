"""One base error for every expected failure; the CLI turns these into messages, never tracebacks."""


class MettaDashError(Exception):
    """An expected failure with a message fit for the user (and an optional hint)."""

    exit_code = 1

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} (hint: {self.hint})" if self.hint else self.message


class ConfigError(MettaDashError):
    """The project settings or the command line ask for something impossible."""

    exit_code = 2
