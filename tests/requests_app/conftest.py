"""Intake fixtures: categories, a helper that collects through the real service, images."""

import io
from types import SimpleNamespace

import pytest
from PIL import Image

from casework.models.categories import DeadlineClass
from casework.services import category_create
from requests_app.personal import id_check_digit
from requests_app.services import request_collect


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Photos go to a folder of the test's own, so a test can count the files it left."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def media_files(root):
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def categories(db):
    c = SimpleNamespace()
    c.property = category_create(code="property", name="物业管理", name_en="Property management")
    c.elevator = category_create(
        code="property-elevator",
        name="电梯故障",
        name_en="Lift breakdown",
        parent=c.property,
        deadline_class=DeadlineClass.UTILITY,
    )
    c.facility = category_create(code="property-facility", name="公共设施损坏", parent=c.property)
    c.welfare = category_create(code="welfare", name="社会保障")
    c.subsistence = category_create(
        code="welfare-subsistence",
        name="低保申请",
        parent=c.welfare,
        deadline_class=DeadlineClass.COMPLEX,
        requires_id_number=True,
    )
    return c


def valid_id_number(first17="45092319900101123"):
    return first17 + id_check_digit(first17)


@pytest.fixture
def collect(tree, people, categories):
    """Collect a request through the real service, with sensible defaults."""

    def make(**overrides):
        fields = {
            "actor": people.grid_a1,
            "channel": "onsite",
            "category": categories.elevator,
            "unit": tree.building_a1,
            "description": "1栋电梯停在半层，老人不敢坐",
            "resident": {"name": "王伟", "phone": "13812345678", "address": "阳光小区1栋301"},
        }
        fields.update(overrides)
        return request_collect(**fields)

    return make


def image_bytes(fmt="JPEG", size=(64, 48), color=(200, 30, 30), **save):
    out = io.BytesIO()
    mode = "RGBA" if fmt == "PNG" else "RGB"
    Image.new(mode, size, color + ((128,) if mode == "RGBA" else ())).save(out, fmt, **save)
    return out.getvalue()


def upload(content, name="photo.jpg", content_type="image/jpeg"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type=content_type)
