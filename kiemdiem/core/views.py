from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from kiemdiem.core.jobs import live_workers


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Database and worker health for load balancers and monitoring.

    200 when the database answers; with `?require_worker=1`, 503 unless a worker has sent a
    heartbeat recently (point the worker hosts' check at that form).
    """
    body: dict[str, object] = {}
    status = 200
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        body["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - report, don't crash the probe
        body["database"] = f"error: {exc.__class__.__name__}"
        return JsonResponse({**body, "status": "error"}, status=503)
    from django_tasks_db.models import DBTaskResult

    workers = live_workers()
    body["workers"] = [
        {"id": w.worker_id, "host": w.hostname, "seen": w.seen_at.isoformat()} for w in workers
    ]
    body["queued_tasks"] = DBTaskResult.objects.filter(status="READY").count()
    if request.GET.get("require_worker") == "1" and not workers:
        status = 503
    body["status"] = "ok" if status == 200 else "error"
    return JsonResponse(body, status=status)
