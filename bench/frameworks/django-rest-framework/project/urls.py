from django.urls import path

from world import views

urlpatterns = [
    path("plaintext", views.Plaintext.as_view()),
    path("json", views.Json.as_view()),
    path("db", views.Db.as_view()),
    path("queries", views.Queries.as_view()),
    path("fortunes", views.Fortunes.as_view()),
    path("updates", views.Updates.as_view()),
]
