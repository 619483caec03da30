"""``?format=xlsx`` on a list endpoint: the whole filtered list as a workbook, recorded."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.renderers import BaseRenderer

from casework.errors import ValidationFailed
from casework.exports import MAX_ROWS, Column, export_record, xlsx_bytes
from casework.text import query_text

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class XLSXRenderer(BaseRenderer):
    """Lets ``?format=xlsx`` through content negotiation; the view writes the file itself."""

    media_type = XLSX
    format = "xlsx"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        # Only reached for an error answer on an export (the list itself is an HttpResponse).
        import json

        return json.dumps(data, ensure_ascii=False).encode()


class XLSXExportMixin:
    """For list viewsets: declare ``export_name`` and ``export_columns()``."""

    export_name = "list"

    def export_columns(self) -> list[Column]:
        raise ImproperlyConfigured(f"{type(self).__name__} must declare export_columns()")

    def get_renderers(self):
        renderers = super().get_renderers()
        # A viewset offers the workbook on its list action only; a list view has no other.
        if getattr(self, "action", "list") == "list":
            renderers.append(XLSXRenderer())
        return renderers

    def list(self, request, *args, **kwargs):
        if request.accepted_renderer.format != "xlsx":
            return super().list(request, *args, **kwargs)
        return self.export(request)

    def get(self, request, *args, **kwargs):
        # Generic list views route GET here rather than to ``list``. A viewset binds ``get`` to
        # its mapped action on the instance; reaching this method means GET is not mapped for
        # the URL (a POST-only action), which must answer 405, not the list.
        if getattr(self, "action_map", None) is not None:
            return self.http_method_not_allowed(request, *args, **kwargs)
        return self.list(request, *args, **kwargs)

    def export(self, request):
        # Checked before anything is read: the filters are stored with the export's record.
        filters = {
            query_text(key, field=key): query_text(value, field=key)
            for key, value in request.query_params.items()
            if key != "format"
        }
        queryset = self.filter_queryset(self.get_queryset())
        if queryset.count() > MAX_ROWS:
            raise ValidationFailed(
                _("More than %(n)d rows: narrow the filters.") % {"n": MAX_ROWS}, field="format"
            )
        content, rows = xlsx_bytes(
            title=self.export_name, columns=self.export_columns(), rows=queryset.iterator(2000)
        )
        export_record(user=request.user, what=self.export_name, filters=filters, rows=rows)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response = HttpResponse(content, content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{self.export_name}-{stamp}.xlsx"'
        return response
