"""The audit trail stays immutable, with one exception: `kiemdiem restore --force` replaces the
whole database with an archive's, history included. That act on the server sets the
transaction-local `kiemdiem.replace_history` (kiemdiem.core.audit.allow_history_replacement)
before it clears the tables; nothing in the application's pages, API or services sets it."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION kd_audit_immutable() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.actor_id IS NULL
       AND (to_jsonb(NEW) - 'actor_id') = (to_jsonb(OLD) - 'actor_id') THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'DELETE' AND current_setting('kiemdiem.replace_history', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit events are immutable (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
"""
PREVIOUS = """
CREATE OR REPLACE FUNCTION kd_audit_immutable() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.actor_id IS NULL
       AND (to_jsonb(NEW) - 'actor_id') = (to_jsonb(OLD) - 'actor_id') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit events are immutable (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PREVIOUS, params=None)


class Migration(migrations.Migration):
    dependencies = [("reviews", "0004_audit_immutable")]

    operations = [migrations.RunPython(forwards, backwards)]
