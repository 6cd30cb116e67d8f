"""A manager's corrections of a staff member's licence, audited and shown to that person."""

from __future__ import annotations

from datetime import date

from ..clock import now
from ..extensions import db
from ..models import Clinic, Licence, LicenceEdit, User
from .scope import ClinicError


def edit_licence(
    clinic: Clinic, licence: Licence, number: str, renewal: date, reason: str, manager: User
) -> LicenceEdit | None:
    """Change a staff member's licence number or renewal date, audited; None if unchanged."""
    from ..ce.compliance import fixed_renewal_on_or_after, is_renewal_day, version_for
    from ..ce.packs import current_versions

    cycle = version_for(current_versions([licence.pack_id])[licence.pack_id], renewal).cycle
    if not is_renewal_day(cycle, renewal):
        expected = fixed_renewal_on_or_after(cycle, renewal)
        raise ClinicError(f"This licence renews on fixed dates; the next is {expected:%-d %B %Y}.")
    changes = {}
    number = number.strip()
    if number != licence.number:
        changes["number"] = [licence.number, number]
    if renewal != licence.renewal_date:
        changes["renewal_date"] = [licence.renewal_date.isoformat(), renewal.isoformat()]
    if not changes:
        return None
    licence.number, licence.renewal_date, licence.updated_at = number, renewal, now()
    edit = LicenceEdit(
        licence_id=licence.id,
        user_id=licence.user_id,
        clinic_id=clinic.id,
        editor_id=manager.id,
        changes={**changes, "reason": reason.strip()[:300]},
    )
    db.session.add(edit)
    return edit


def licence_edits(user: User) -> list[tuple[LicenceEdit, str, str]]:
    """Changes clinics made to this person's licences: (edit, clinic name, editor name)."""
    editor = db.aliased(User)
    return [
        (edit, clinic_name, editor_name)
        for edit, clinic_name, editor_name in db.session.execute(
            db.select(LicenceEdit, Clinic.name, editor.name)
            .join(Clinic, Clinic.id == LicenceEdit.clinic_id)
            .join(editor, editor.id == LicenceEdit.editor_id)
            .where(LicenceEdit.user_id == user.id)
            .order_by(LicenceEdit.edited_at.desc())
        ).all()
    ]
