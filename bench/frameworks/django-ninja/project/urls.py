from django.urls import path
from ninja import NinjaAPI

from world.api import router

# [task:setup]
# No interactive docs page in production (the counterpart of DRF's JSON-only renderers).
api = NinjaAPI(docs_url=None)
api.add_router("", router)

urlpatterns = [path("", api.urls)]
# [/task:setup]
