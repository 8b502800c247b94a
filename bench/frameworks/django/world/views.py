from random import randint, sample

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render

from world.models import Fortune, World


def query_count(request):
    """?queries=N clamped to 1..500; missing or not an integer gives 1."""
    try:
        count = int(request.GET.get("queries", 1))
    except ValueError:
        return 1
    return min(max(count, 1), 500)


# [task:plaintext]
def plaintext(request):
    return HttpResponse(b"Hello, World!", content_type="text/plain")


# [/task:plaintext]


# [task:json]
def json(request):
    return JsonResponse({"message": "Hello, World!"})


# [/task:json]


# [task:db]
def db(request):
    world = World.objects.get(id=randint(1, 10000))
    return JsonResponse({"id": world.id, "randomNumber": world.randomnumber})


# [/task:db]


# [task:queries]
def queries(request):
    worlds = [World.objects.get(id=randint(1, 10000)) for _ in range(query_count(request))]
    return JsonResponse([{"id": w.id, "randomNumber": w.randomnumber} for w in worlds], safe=False)


# [/task:queries]


# [task:fortunes]
def fortunes(request):
    fortunes = list(Fortune.objects.all())
    fortunes.append(Fortune(id=0, message="Additional fortune added at request time."))
    fortunes.sort(key=lambda fortune: fortune.message)
    return render(request, "fortunes.html", {"fortunes": fortunes})


# [/task:fortunes]


# [task:updates]
def updates(request):
    # Distinct ids, so no row is updated twice in one batch.
    worlds = [World.objects.get(id=i) for i in sample(range(1, 10001), query_count(request))]
    for world in worlds:
        world.randomnumber = randint(1, 10000)
    # One UPDATE for the batch; rows sorted by id so concurrent batches lock in the same order.
    World.objects.bulk_update(sorted(worlds, key=lambda w: w.id), ["randomnumber"])
    return JsonResponse([{"id": w.id, "randomNumber": w.randomnumber} for w in worlds], safe=False)


# [/task:updates]
