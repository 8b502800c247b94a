"""The Editors group: add/change/delete/view on every content model, nothing on users."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = "Editors"


def content_models(apps):
    return [
        model
        for model in apps.get_app_config("comparisons").get_models()
        if not model.__name__.startswith("Historical")
    ]


def create_editors_group(apps, schema_editor):
    # Everything on the database being migrated, which need not be the default one.
    db = schema_editor.connection.alias
    # Permissions are normally created after migrations; make sure they exist now.
    app_config = apps.get_app_config("comparisons")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps, using=db)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    group, _ = Group.objects.using(db).get_or_create(name=EDITORS)
    codenames = []
    content_types = []
    for model in content_models(apps):
        name = model._meta.model_name
        content_types.append(
            ContentType.objects.using(db).get(app_label="comparisons", model=name)
        )
        codenames += [f"{action}_{name}" for action in ("add", "change", "delete", "view")]
    group.permissions.add(
        *Permission.objects.using(db).filter(
            content_type__in=content_types, codename__in=codenames
        )
    )


def remove_editors_group(apps, schema_editor):
    db = schema_editor.connection.alias
    apps.get_model("auth", "Group").objects.using(db).filter(name=EDITORS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("comparisons", "0002_history"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_editors_group, remove_editors_group)]
