from random import randint, sample

from django.utils.encoding import smart_str
from rest_framework.renderers import BaseRenderer, TemplateHTMLRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from world.models import Fortune, World
from world.serializers import WorldSerializer


def query_count(request):
    """?queries=N clamped to 1..500; missing or not an integer gives 1."""
    try:
        count = int(request.query_params.get("queries", 1))
    except ValueError:
        return 1
    return min(max(count, 1), 500)


# [task:plaintext]
class PlainTextRenderer(BaseRenderer):
    media_type = "text/plain"
    format = "txt"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return smart_str(data, encoding=self.charset)


class Plaintext(APIView):
    renderer_classes = [PlainTextRenderer]

    def get(self, request):
        return Response("Hello, World!")


# [/task:plaintext]


# [task:json]
class Json(APIView):
    def get(self, request):
        return Response({"message": "Hello, World!"})


# [/task:json]


# [task:db]
class Db(APIView):
    def get(self, request):
        world = World.objects.get(id=randint(1, 10000))
        return Response(WorldSerializer(world).data)


# [/task:db]


# [task:queries]
class Queries(APIView):
    def get(self, request):
        worlds = [World.objects.get(id=randint(1, 10000)) for _ in range(query_count(request))]
        return Response(WorldSerializer(worlds, many=True).data)


# [/task:queries]


# [task:fortunes]
class Fortunes(APIView):
    renderer_classes = [TemplateHTMLRenderer]

    def get(self, request):
        fortunes = list(Fortune.objects.all())
        fortunes.append(Fortune(id=0, message="Additional fortune added at request time."))
        fortunes.sort(key=lambda fortune: fortune.message)
        return Response({"fortunes": fortunes}, template_name="fortunes.html")


# [/task:fortunes]


# [task:updates]
class Updates(APIView):
    def get(self, request):
        # Distinct ids, so no row is updated twice in one batch.
        worlds = [World.objects.get(id=i) for i in sample(range(1, 10001), query_count(request))]
        for world in worlds:
            world.randomnumber = randint(1, 10000)
        # One UPDATE for the batch; rows sorted by id so concurrent batches lock in the same order.
        World.objects.bulk_update(sorted(worlds, key=lambda w: w.id), ["randomnumber"])
        return Response(WorldSerializer(worlds, many=True).data)


# [/task:updates]
