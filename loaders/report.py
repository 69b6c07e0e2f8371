"""What a load tells the user: options in, problems and counts out."""

from __future__ import annotations

from pydantic import BaseModel, Field

from common.nl import count

class LoadOptions(BaseModel):
    """The command line's options for one file."""

    kind: str | None = None
    jaar: int | None = Field(default=None, ge=1900, le=2100)
    table: str | None = None
    meta: str | None = None
    sheet: str | None = None

    def key(self) -> str:
        """The options that change what a file means, for recognising a file loaded before."""
        parts = [f"{k}={v}" for k, v in self.model_dump().items() if v is not None and k != "meta"]
        return ";".join(parts)


class Problem(BaseModel):
    row: int | None = None
    column: str | None = None
    message: str


class FileRefused(Exception):
    """The file cannot be read as its kind; nothing is loaded."""

    def __init__(self, messages: list[str] | str):
        self.messages = [messages] if isinstance(messages, str) else list(messages)
        super().__init__("; ".join(self.messages))


class LoadReport(BaseModel):
    file_name: str
    kind: str | None = None
    refused: bool = False
    already_loaded: bool = False
    rows_accepted: int = 0
    rows_rejected: int = 0
    problems: list[Problem] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    seconds: float = 0.0
    refresh_error: str | None = None
    # What the load's recompute covered (`indicators.scope`): everything, these gemeenten, or (neither) nothing.
    recomputed_all: bool = False
    recomputed_gemeenten: list[str] = Field(default_factory=list)

    def problem_lines(self) -> list[str]:
        lines = []
        for p in self.problems:
            where = [self.file_name]
            if p.row is not None:
                where.append(f"rij {p.row}")
            if p.column:
                where.append(f"kolom {p.column}")
            lines.append(f"{', '.join(where)}: {p.message}")
        return lines

    def summary(self) -> str:
        kind = self.kind or "onbekend"
        if self.refused:
            return f"{self.file_name}: geweigerd (soort {kind}); er is niets geladen."
        if self.already_loaded:
            return f"{self.file_name}: dit bestand (soort {kind}) was al geladen; er is niets gewijzigd."
        return (
            f"{self.file_name}: soort {kind}, {count(self.rows_accepted, 'rij', 'rijen')} geladen, "
            f"{count(self.rows_rejected, 'rij', 'rijen')} afgewezen."
        )

    def lines(self) -> list[str]:
        """The report as the command line prints it: summary, warnings, then one line per problem."""
        lines = [self.summary(), *(f"{self.file_name}: let op: {w}" for w in self.warnings), *self.problem_lines()]
        return lines + ([self.refresh_error] if self.refresh_error else [])


