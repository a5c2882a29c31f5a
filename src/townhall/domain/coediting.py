"""Co-editors: people of other accounts who may see an event and change the parts their
permission groups name (Zoom's groups, one per page of the event's setup)."""

from __future__ import annotations

PERMISSION_GROUPS = ("Publish", "EventConfiguration", "EventBranding", "Registration & Join", "Venue", "EventExperience",
                     "EventPlanning", "SpecialRole", "PostEvent", "Analytics", "Email", "Integrations")
MAX_COEDITORS = 3

# What a change needs. OWNER: only the event's own account (deleting it, choosing its co-editors).
OWNER = "owner"
PUBLISH = "Publish"
CONFIGURATION = "EventConfiguration"
REGISTRATION = "Registration & Join"
CONTENT = "EventPlanning"


def may(groups: list[str] | None, need: str | None) -> bool:
    """Whether a co-editor holding `groups` may do what needs `need` (None: look at the event)."""
    return groups is not None and (need is None or (need != OWNER and need in groups))
