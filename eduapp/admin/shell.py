"""Account changes made on the server's command line (``flask users ...``), audited as the
admin pages' changes are: a role given from the shell is as much a change to the account as
one given by an admin, and the account's history must show it.

``account_changes.admin_id`` is required and names a user; the shell has no account, and the
schema is not changed for it. So a shell change names the account itself there and says where
it came from by its action (``shell_create``, ``shell_role``), which only code writes: an
admin's typed reason cannot pass for it. The history shows such a change as made by "the
shell", as ``flask studio owners`` does for the people it adds.
"""

from __future__ import annotations

from ..models import Role, User
from .services import _audit


def record_creation(user: User) -> None:
    """The account was made on the command line, with this role (an admin, perhaps)."""
    _audit(user, user, "shell_create", None, user.role, "")


def change_role(user: User, role: Role, reason: str = "") -> bool:
    """Give the account another role; False, and nothing written, when it has that role
    already. The shell is where an admin role is first given and where a lost one is given
    back, so unlike the admin pages it may change any account, the last admin's too."""
    if user.role == role.value:
        return False
    before = user.role
    user.role = role.value
    _audit(user, user, "shell_role", before, role.value, reason)
    return True
