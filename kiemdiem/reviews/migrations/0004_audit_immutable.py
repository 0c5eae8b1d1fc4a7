"""The audit trail cannot be changed (decisions.md §1: nothing is hard-deleted): on PostgreSQL a
trigger refuses UPDATE and DELETE on the audit table. The one update let through is Django's
SET NULL of the actor when a user account is deleted (every other column must stay equal).
SQLite (development) has no trigger; the services never update or delete audit rows anyway."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION kd_audit_immutable() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.actor_id IS NULL
       AND (to_jsonb(NEW) - 'actor_id') = (to_jsonb(OLD) - 'actor_id') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit events are immutable (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS kd_audit_immutable ON core_auditevent;
CREATE TRIGGER kd_audit_immutable BEFORE UPDATE OR DELETE ON core_auditevent
    FOR EACH ROW EXECUTE FUNCTION kd_audit_immutable();
"""
DROP = """
DROP TRIGGER IF EXISTS kd_audit_immutable ON core_auditevent;
DROP FUNCTION IF EXISTS kd_audit_immutable();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0003_decision_workflow"),
        ("core", "0002_job_organization"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
