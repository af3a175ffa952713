from django.db import migrations, models
import django.db.models.functions.text


class Migration(migrations.Migration):
    """After 0007 removed the duplicates (its own transaction: PostgreSQL refuses to change a
    table that has pending trigger events from rows deleted in the same one)."""

    dependencies = [
        ("lga_cspc", "0007_advance_documents_once_case_lists_unticked"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="advancedocument",
            constraint=models.UniqueConstraint(
                models.F("challenge"),
                django.db.models.functions.text.Lower(
                    django.db.models.functions.text.Replace(
                        django.db.models.functions.text.Replace(
                            models.F("title"), models.Value("-"), models.Value(" ")
                        ),
                        models.Value("’"),
                        models.Value("'"),
                    )
                ),
                name="cspc_advance_document_unique_title_key",
                violation_error_message="The checklist already has this document.",
            ),
        ),
    ]
