"""Rule packs in the database: seeded from ``ce-rules/`` files, edited by admins as new versions."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from ..extensions import db
from ..models import RulePack, RuleVersion, User
from .rulefile import RulePackFile
from .rulefile import RuleVersion as VersionFile

FILE, ADMIN = "file", "admin"


def import_packs(packs: Iterable[RulePackFile]) -> list[str]:
    """Create or update packs and their file versions; admins' versions are never touched."""
    reports = []
    for pack in packs:
        values = {
            "name": pack.name,
            "jurisdiction": pack.jurisdiction[:2],
            "approving_bodies": list(pack.approving_bodies),
            "sources": list(pack.sources),
            "reviewed_on": pack.reviewed_on,
        }
        row = db.session.execute(db.select(RulePack).filter_by(slug=pack.id)).scalar_one_or_none()
        changes = []
        if row is None:
            row = RulePack(slug=pack.id, **values)
            db.session.add(row)
            db.session.flush()
            changes.append("created")
        elif any(getattr(row, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(row, key, value)
            changes.append("details updated")
        kept = {
            v.effective_from: v
            for v in db.session.execute(
                db.select(RuleVersion).filter_by(pack_id=row.id, origin=FILE)
            ).scalars()
        }
        for version in pack.versions:
            definition = version.model_dump(mode="json")
            existing = kept.get(version.effective_from)
            if existing is None:
                db.session.add(
                    RuleVersion(
                        pack_id=row.id,
                        effective_from=version.effective_from,
                        definition=definition,
                        origin=FILE,
                        revision=0,
                    )
                )
                changes.append(f"version {version.effective_from} added")
            elif existing.definition != definition:
                existing.definition = definition
                changes.append(f"version {version.effective_from} updated")
        reports.append(f"{pack.id}: {', '.join(changes) if changes else 'unchanged'}")
    db.session.flush()
    return reports


def current_versions(pack_ids: Iterable[int]) -> dict[int, list[tuple[date, VersionFile]]]:
    """Per pack, the version in force for each effective date: an admin's edit over the file's,
    the latest edit over earlier ones. One query for any number of packs."""
    best: dict[tuple[int, date], RuleVersion] = {}
    for row in db.session.execute(
        db.select(RuleVersion).where(RuleVersion.pack_id.in_(list(pack_ids)))
    ).scalars():
        key = (row.pack_id, row.effective_from)
        held = best.get(key)
        if held is None or (row.origin == ADMIN, row.revision) > (
            held.origin == ADMIN,
            held.revision,
        ):
            best[key] = row
    result: dict[int, list[tuple[date, VersionFile]]] = defaultdict(list)
    for (pack_id, effective_from), row in sorted(best.items(), key=lambda i: i[0]):
        result[pack_id].append((effective_from, VersionFile.model_validate(row.definition)))
    return result


def edit_version(pack: RulePack, definition: dict[str, Any], admin: User, note: str) -> RuleVersion:
    """An admin's change: validated like a file, stored as a new version that wins."""
    version = VersionFile.model_validate(definition)
    revision = (
        db.session.scalar(
            db.select(db.func.max(RuleVersion.revision)).filter_by(
                pack_id=pack.id, effective_from=version.effective_from, origin=ADMIN
            )
        )
        or 0
    ) + 1
    row = RuleVersion(
        pack_id=pack.id,
        effective_from=version.effective_from,
        definition=version.model_dump(mode="json"),
        origin=ADMIN,
        revision=revision,
        created_by_id=admin.id,
        note=note[:500],
    )
    db.session.add(row)
    db.session.flush()
    return row
