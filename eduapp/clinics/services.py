"""The clinics area's services, gathered in one place for views and other areas.

Each responsibility lives in its own module: :mod:`.scope` (the tenant boundary: who a clinic
sees, who manages it), :mod:`.invites` (lists, links, acceptance), :mod:`.people` (managers,
removing and leaving, the former-staff audit line), :mod:`.assigning` (assigned courses) and
:mod:`.licences` (a manager's audited licence corrections). Callers import from here, so a
module can be split again without touching them.
"""

from __future__ import annotations

from ..models import Assignment
from .assigning import (
    assign,
    assignment_of,
    assignment_rows,
    delete_assignment,
    edit_assignment,
)
from .invites import (
    INVITE_DAYS,
    MAX_INVITES,
    InviteReport,
    accept,
    address_problem,
    invite_list,
    live_invite,
    read_list,
    resend,
    revoke_invite,
)
from .licences import edit_licence, licence_edits
from .people import (
    FormerStaff,
    Manager,
    add_manager,
    create_clinic,
    former_staff,
    leave,
    managers,
    removals,
    remove_manager,
    remove_staff,
)
from .scope import (
    ClinicError,
    is_manager,
    managed_clinics,
    manager_nav,
    memberships,
    shared_staff,
    staff_membership,
)

__all__ = [
    "INVITE_DAYS",
    "MAX_INVITES",
    "Assignment",
    "ClinicError",
    "FormerStaff",
    "InviteReport",
    "Manager",
    "accept",
    "add_manager",
    "address_problem",
    "assign",
    "assignment_of",
    "assignment_rows",
    "create_clinic",
    "delete_assignment",
    "edit_assignment",
    "edit_licence",
    "former_staff",
    "invite_list",
    "is_manager",
    "leave",
    "licence_edits",
    "live_invite",
    "managed_clinics",
    "manager_nav",
    "managers",
    "memberships",
    "read_list",
    "removals",
    "remove_manager",
    "remove_staff",
    "resend",
    "revoke_invite",
    "shared_staff",
    "staff_membership",
]
