"""The mail provider's bounce and complaint webhook: ``POST /follow/hooks/bounce`` with the
header ``Authorization: Bearer <WARTA_FOLLOW_WEBHOOK_SECRET>`` and a JSON body
``{"email": "...", "type": "bounce" | "complaint"}`` (or a list of such objects)."""

import json

from django.conf import settings
from django.http import JsonResponse
from django.utils.crypto import constant_time_compare
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import services

KINDS = {"bounce", "complaint"}


@csrf_exempt  # a machine's POST, authenticated by the shared secret
@require_POST
def bounce(request):
    secret = settings.WARTA_FOLLOW_WEBHOOK_SECRET
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not secret or not constant_time_compare(given, secret):
        return JsonResponse({"error": "unauthorized"}, status=401)
    try:
        data = json.loads(request.body)
    except ValueError:
        return JsonResponse({"error": "the body is not JSON"}, status=400)
    events = data if isinstance(data, list) else [data]
    if not all(
        isinstance(e, dict) and isinstance(e.get("email"), str) and e.get("type") in KINDS
        for e in events
    ):
        return JsonResponse(
            {"error": 'expected {"email": "...", "type": "bounce" | "complaint"}'}, status=400
        )
    changed = sum(services.record_bounce(email=e["email"], kind=e["type"]) for e in events)
    return JsonResponse({"changed": changed})
