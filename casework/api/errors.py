"""Turn domain errors into JSON answers that name what is wrong."""

from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from casework.errors import DomainError


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        return Response(exc.as_dict(), status=exc.status)
    return drf_exception_handler(exc, context)
