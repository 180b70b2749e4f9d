"""A loaded scheme version: the validated file plus where it came from and its hash."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from paycalc.scheme.model import PostSpec, SchemeFile, Status

__all__ = ["SchemeVersion"]


@dataclass(frozen=True, eq=False)
class SchemeVersion:
    """One version of a scheme family, as loaded from ``path``.

    ``sha256`` is the hash of the file's bytes: a slip records it so an auditor can prove
    which text produced a figure.
    """

    spec: SchemeFile
    path: str
    sha256: str
    _post_names: dict[str, str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        names: dict[str, str] = {}
        for code, post in self.spec.posts.items():
            for name in (code, post.label, *post.aliases):
                names[name] = code
        object.__setattr__(self, "_post_names", names)

    @property
    def family(self) -> str:
        return self.spec.scheme.id

    @property
    def version(self) -> str:
        return self.spec.scheme.version

    @property
    def status(self) -> Status:
        return self.spec.scheme.status

    @property
    def is_draft(self) -> bool:
        """A proposal not adopted: never in force unless asked for by name or opt-in."""
        return self.spec.scheme.status == "draft"

    @property
    def effective_until(self) -> date | None:
        return self.spec.scheme.effective_until

    @property
    def effective_from(self) -> date:
        return self.spec.scheme.effective_from

    @property
    def published_on(self) -> date:
        return self.spec.scheme.published_on

    def post_code(self, name: str) -> str | None:
        """The post code for a code, label or alias (``"正职"`` → ``chief``), or None."""
        return self._post_names.get(name.strip())

    def post(self, code: str) -> PostSpec:
        return self.spec.posts[code]

    def __repr__(self) -> str:
        return f"SchemeVersion({self.family!r}, {self.version!r}, {self.path!r})"
