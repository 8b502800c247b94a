from random import randint, sample

from django.http import HttpResponse
from django.shortcuts import render
from ninja import Router

from world.models import Fortune, World
from world.schemas import WorldSchema

router = Router()


def query_count(queries):
    """?queries=N clamped to 1..500; missing or not an integer gives 1."""
    try:
        return min(max(int(queries), 1), 500)
    except (TypeError, ValueError):
        return 1


# [task:plaintext]
@router.get("/plaintext")
def plaintext(request):
    return HttpResponse("Hello, World!", content_type="text/plain")  # passed through as is


# [/task:plaintext]


# [task:json]
@router.get("/json")
def json_serialization(request):
    return {"message": "Hello, World!"}


# [/task:json]


# [task:db]
@router.get("/db", response=WorldSchema)
def single_query(request):
    return World.objects.get(id=randint(1, 10000))


# [/task:db]


# [task:queries]
# A string, clamped here: "foo" must give 1 row, not the 422 an `int` parameter would give.
@router.get("/queries", response=list[WorldSchema])
def multiple_queries(request, queries: str | None = None):
    return [World.objects.get(id=randint(1, 10000)) for _ in range(query_count(queries))]


# [/task:queries]


# [task:fortunes]
@router.get("/fortunes")
def fortunes(request):
    fortunes = list(Fortune.objects.all())
    fortunes.append(Fortune(id=0, message="Additional fortune added at request time."))
    fortunes.sort(key=lambda fortune: fortune.message)
    return render(request, "fortunes.html", {"fortunes": fortunes})


# [/task:fortunes]


# [task:updates]
@router.get("/updates", response=list[WorldSchema])
def updates(request, queries: str | None = None):
    # Distinct ids, so no row is updated twice in one batch.
    worlds = [World.objects.get(id=i) for i in sample(range(1, 10001), query_count(queries))]
    for world in worlds:
        world.randomnumber = randint(1, 10000)
    # One UPDATE for the batch; rows sorted by id so concurrent batches lock in the same order.
    World.objects.bulk_update(sorted(worlds, key=lambda w: w.id), ["randomnumber"])
    return worlds


# [/task:updates]
