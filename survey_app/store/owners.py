"""Tables whose rows each belong to one person, named by a column per record store.

Such a table has a `service_user_id` and a `victim_survivor_id`, exactly one of them set (a
check constraint in each table says so). This mixin is the one place that knows which column
goes with which store, so no caller needs isinstance checks or hand-written dicts.
"""

from __future__ import annotations

from survey_app.store.records import SERVICE_USER, STORES, VICTIM_SURVIVOR


class OwnedByRecord:
    @property
    def store(self) -> str:
        return SERVICE_USER if self.service_user_id is not None else VICTIM_SURVIVOR

    @property
    def owner_id(self) -> int:
        """The id of the person the row belongs to, in its store."""
        return getattr(self, f"{self.store}_id")

    @classmethod
    def owner_column(cls, store: str):
        """The column that names the person, in whichever store they are."""
        if store not in STORES:
            raise ValueError(f"Unknown store: {store}")
        return getattr(cls, f"{store}_id")

    @classmethod
    def owned_by(cls, record) -> dict[str, int]:
        """Keyword arguments that make a new row this person's: `Invitation(**Invitation.owned_by(record), …)`."""
        return {cls.owner_column(record.store).key: record.id}
