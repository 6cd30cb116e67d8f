"""The settings page's fields as plain text, before any rule has looked at them: what the
view hands ``course_settings.save``, so the rules never touch a request or a form."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ReferenceRow:
    """One row of the references table as typed; ``original`` is the id it had on loading."""

    ref_id: str = ""
    citation: str = ""
    link: str = ""
    label: str = ""
    original: str = ""
    remove: bool = False

    def blank(self) -> bool:
        return not any(v.strip() for v in (self.ref_id, self.citation, self.link, self.label))


@dataclass
class ApprovalRow:
    body: str = ""
    number: str = ""
    title: str = ""
    ce_hours: str = ""
    valid_from: str = ""
    valid_to: str = ""
    cebroker: str = ""
    remove: bool = False

    def blank(self) -> bool:
        return not any(
            v.strip()
            for v in (
                self.body,
                self.number,
                self.title,
                self.ce_hours,
                self.valid_from,
                self.valid_to,
                self.cebroker,
            )
        )


@dataclass
class SettingsInput:
    """The settings page's fields as text, before any rule has looked at them."""

    title: str = ""
    summary: str = ""
    objectives: str = ""
    authors: str = ""
    reviewed_on: str = ""
    ce_hours: str = ""
    ce_categories: list[str] = field(default_factory=list)
    passing_score: str = ""
    references: list[ReferenceRow] = field(default_factory=list)
    approvals: list[ApprovalRow] = field(default_factory=list)
