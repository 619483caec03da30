"""The one answer to "which units may this person see and act on".

A membership covers its unit's whole subtree. Everything the viewer may see is expressed as a
``Q`` over materialised paths, so any list stays one indexed query however deep the tree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from casework.models import Membership, Role

_CACHE_ATTR = "_minqing_scope"

#: Roles whose membership grants no sight of the unit's cases, requests or residents: the
#: holder acts only through the features that check the role itself (``has_role``).
ROLES_WITHOUT_SIGHT = frozenset({Role.HOTLINE_OPERATOR})


@dataclass(frozen=True)
class Scope:
    user_id: int | None
    everything: bool = False
    #: The roots of the visible subtrees, with nested ones removed.
    paths: tuple[str, ...] = ()
    #: The units where the viewer holds any membership.
    unit_ids: frozenset[int] = frozenset()
    #: ``(unit_id, role)`` pairs, for role checks.
    grants: frozenset[tuple[int, str]] = field(default=frozenset())
    #: ``(path, role)`` pairs, for "does this role cover that unit" checks.
    role_paths: tuple[tuple[str, str], ...] = ()

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(role for _, role in self.grants)

    def units_q(self, prefix: str = "") -> Q:
        """``Q`` matching the units in scope; ``prefix`` reaches them through a relation."""
        if self.everything:
            return Q()
        if not self.paths:
            return Q(pk__in=[])
        q = Q()
        for path in self.paths:
            q |= Q(**{f"{prefix}path__startswith": path})
        return q

    def covers_path(self, path: str) -> bool:
        return self.everything or any(path.startswith(p) for p in self.paths)

    def has_role(self, *roles: str, path: str | None = None) -> bool:
        """Whether the viewer holds one of ``roles`` (over ``path``, when given)."""
        if self.everything:
            return True
        for role_path, role in self.role_paths:
            if role in roles and (path is None or path.startswith(role_path)):
                return True
        return False


def _minimal_paths(paths: set[str]) -> tuple[str, ...]:
    kept: list[str] = []
    for path in sorted(paths):
        if not any(path.startswith(k) for k in kept):
            kept.append(path)
    return tuple(kept)


def scope_for(user) -> Scope:
    """Return the viewer's scope (one query, cached on the user object for the request)."""
    if user is None or not user.is_authenticated:
        return Scope(user_id=None)
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    rows = list(
        Membership.objects.filter(user=user, unit__is_active=True).values_list(
            "unit_id", "unit__path", "role"
        )
    )
    # A call-back operator's membership names where they check call-backs (the call-back
    # selectors read it from ``role_paths``); it opens no other list, case or request.
    seeing = [row for row in rows if row[2] not in ROLES_WITHOUT_SIGHT]
    scope = Scope(
        user_id=user.pk,
        everything=user.is_superuser,
        paths=_minimal_paths({path for _, path, _ in seeing}),
        unit_ids=frozenset(unit_id for unit_id, _, _ in seeing),
        grants=frozenset((unit_id, role) for unit_id, _, role in rows),
        role_paths=tuple(sorted((path, role) for _, path, role in rows)),
    )
    setattr(user, _CACHE_ATTR, scope)
    return scope


def scope_forget(user) -> None:
    """Drop the cached scope, after the user's memberships changed."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


__all__ = ["Role", "Scope", "scope_for", "scope_forget"]
