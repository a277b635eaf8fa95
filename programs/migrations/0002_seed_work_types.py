"""Seed the work types of DOMAIN.md with their default units (data, editable in the admin)."""

from django.db import migrations

WORK_TYPES = [
    ("Giao thông nông thôn", "Rural roads", "m"),
    ("Thủy lợi, kênh mương", "Irrigation canals", "m"),
    ("Nhà ở (sửa chữa, làm mới, đổ nền)", "Housing (repair, new, concrete floor)", "house"),
    ("Nhà văn hóa, sân, khuôn viên", "Cultural house, yard, grounds", "works"),
    ("Vệ sinh môi trường, phát quang, trồng cây", "Environment, clearing, trees", "m2"),
    ("Thắp sáng đường quê", "Lighting", "pole"),
    ("Giúp sản xuất, thu hoạch", "Production and harvest help", "workday"),
    ("Hiến đất", "Land donated", "m2"),
    ("Tuyên truyền, đối thoại", "Information sessions, dialogue", "session"),
    ("Tặng quà an sinh", "Welfare gifts", "gift"),
]


def seed(apps, schema_editor):
    WorkType = apps.get_model("programs", "WorkType")
    for order, (name, name_en, unit) in enumerate(WORK_TYPES, start=1):
        WorkType.objects.update_or_create(
            name=name,
            defaults={"name_en": name_en, "default_unit": unit, "sort_order": order * 10},
        )


def unseed(apps, schema_editor):
    WorkType = apps.get_model("programs", "WorkType")
    WorkType.objects.filter(name__in=[name for name, _, _ in WORK_TYPES], outputs=None).delete()


class Migration(migrations.Migration):
    dependencies = [("programs", "0001_squashed_0008_data_versions")]

    operations = [migrations.RunPython(seed, unseed)]
