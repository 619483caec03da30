from rest_framework import pagination

#: The most rows one page holds, whatever ``page_size`` asks: a bigger ask gets this many.
MAX_PAGE_SIZE = 200


class PageNumberPagination(pagination.PageNumberPagination):
    """``{"count", "next", "previous", "results"}``, with ``page_size`` honoured up to 200.

    A larger ``page_size`` is cut to 200 (not refused): a client walks the pages by ``next``.
    A whole list goes out as an export (``?format=xlsx``), counted and recorded.
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
