"""The category taxonomy. Categories are shared by everyone; they are not scoped."""

from django.db.models import Q, QuerySet

from casework.models import Category


def category_list(*, search: str | None = None, leaves_only: bool = False) -> QuerySet[Category]:
    """Active categories; ``search`` matches the name, the code or the pinyin (initials too)."""
    qs = Category.objects.filter(is_active=True).select_related("parent")
    if leaves_only:
        qs = qs.filter(children__isnull=True)
    if search:
        term = search.strip().lower()
        qs = qs.filter(
            Q(name__icontains=term)
            | Q(name_en__icontains=term)
            | Q(code__icontains=term)
            | Q(pinyin__contains=term)
            | Q(parent__name__icontains=term)
        )
    return qs.order_by("parent__sort_order", "parent_id", "sort_order", "code")
