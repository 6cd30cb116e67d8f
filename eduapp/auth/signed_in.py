"""The signed-in person on a page that only reads (GET, HEAD): their row as a plain object,
not an ORM instance.

Every signed-in request loads the user, and building the ORM instance (the identity map,
instance state, the loading machinery) cost about 0.7 M instructions a page, more than the
statement itself: a tenth of My learning. A page that only reads never needed it. The
object has every column of ``users`` as an attribute, the same properties (``is_admin``,
``get_id``...), compares equal to the ORM instance of the same account (Flask-Login's
``UserMixin`` compares ``get_id``), and is what ``current_user`` is on such requests.

It stays correct where a read-only page does something more: an attribute it does not hold
(one added to ``User`` later, say) comes from the ORM row, loaded on first use; a write to an
attribute goes to the ORM row too, so it is flushed and committed as before, and kept here
so the rest of the request reads it. Pages that may write (POST and the rest) get the ORM
instance itself, as before.
"""

from __future__ import annotations

from typing import Any

from flask_login import UserMixin

from ..database import read_rows
from ..extensions import db
from ..models import User

COLUMNS = tuple(column.key for column in User.__table__.columns)
_ORM_ROW = "_orm_row"


class SignedInUser(UserMixin):
    """The person signed in, read-only by default: see the module's docstring."""

    is_instructor = User.is_instructor
    is_admin = User.is_admin
    is_deactivated = User.is_deactivated
    get_id = User.get_id
    __hash__ = UserMixin.__hash__  # type: ignore[assignment]  # by identity, as the ORM's

    def __init__(self, values: dict[str, Any]) -> None:
        self.__dict__.update(values)

    def row(self) -> User:
        """The ORM instance of this account, loaded once per request on first need."""
        found = self.__dict__.get(_ORM_ROW)
        if found is None:
            found = self.__dict__[_ORM_ROW] = db.session.get_one(User, self.__dict__["id"])
        return found  # type: ignore[no-any-return]

    def __getattr__(self, name: str) -> Any:
        # Only for what the row's columns and the class do not answer. Private names (the
        # ORM's instance state among them) are never borrowed: this is not an ORM instance,
        # and handing it to the session as one fails loudly.
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.row(), name)

    def __setattr__(self, name: str, value: Any) -> None:
        if not name.startswith("_"):
            setattr(self.row(), name, value)
        self.__dict__[name] = value

    def __repr__(self) -> str:
        return f"<User {self.__dict__['id']} {self.__dict__['email']} (read)>"


def load(statement: Any, params: dict[str, Any]) -> tuple[SignedInUser, tuple[Any, ...]] | None:
    """The person ``statement`` finds, and what it selects beside their columns (every
    column of ``users`` first, in table order, then the rest), read as a plain row."""
    found = read_rows(statement, params).first()
    if found is None:
        return None
    values = dict(zip(COLUMNS, found, strict=False))
    return SignedInUser(values), tuple(found[len(COLUMNS) :])
