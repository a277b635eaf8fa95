import pytest

from tests import factories


@pytest.fixture
def world(db):
    """The fixed cast: a committee with two cells, each assigned a village, and its users —
    an officer and a viewer of the committee, the first cell's secretary and the second cell's
    secretary (the outsider to the first cell's sessions)."""
    province = factories.province(name="Tuyên Quang")
    district = factories.district(province=province, name="Lâm Bình")
    commune = factories.commune(district=district, name="Bình An")
    village = factories.village(commune=commune, name="Phiêng Luông")
    other_village = factories.village(commune=commune, name="Nà Coóc")
    directive = factories.directive(symbol="54-KH/HU", number="54")
    committee = factories.committee(name="Đảng ủy Cơ quan Chính quyền huyện")
    cell = factories.cell(committee=committee, name="Chi bộ Văn phòng")
    other_cell = factories.cell(committee=committee, name="Chi bộ Tư pháp")
    factories.assignment(cell=cell, village=village, directive=directive)
    factories.assignment(cell=other_cell, village=other_village, directive=directive)
    outsider_committee = factories.committee(name="Đảng ủy xã khác")
    return {
        "province": province,
        "district": district,
        "commune": commune,
        "village": village,
        "other_village": other_village,
        "directive": directive,
        "committee": committee,
        "cell": cell,
        "other_cell": other_cell,
        "outsider_committee": outsider_committee,
        "officer": factories.user("officer", role="officer", target=committee),
        "viewer": factories.user("viewer", role="viewer", target=committee),
        "secretary": factories.user("secretary", role="secretary", target=cell),
        "secretary2": factories.user("secretary2", role="secretary", target=other_cell),
        "admin": factories.user("admin", is_staff=True, is_superuser=True),
    }


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploaded files (photos, attachments) go to a fresh folder for every test."""
    settings.MEDIA_ROOT = tmp_path / "media"
