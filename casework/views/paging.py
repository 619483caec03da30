"""Paging list pages: one way to read ``?page=``; ``templates/_pager.html`` draws the links."""

from __future__ import annotations

from django.core.paginator import Page, Paginator

PAGE_SIZE = 50


def page_of(request, items, *, size: int = PAGE_SIZE) -> Page:
    """The page of ``items`` that ``?page=`` asks for: the first when it is not a number, the
    last when it is past the end."""
    return Paginator(items, size).get_page(request.GET.get("page"))
