"""Everything under /api/: the v1 resources, the OpenAPI schema and its documentation."""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

app_name = "api"


@extend_schema(exclude=True)
@api_view(["GET"])
@permission_classes([AllowAny])
def api_root(request):
    return Response({"name": "Versus API", "version": "v1"})


urlpatterns = [
    path("v1/", api_root, name="root"),
]
