"""Reports: a registry of report kinds, WeasyPrint rendering in Celery, stored versions."""
