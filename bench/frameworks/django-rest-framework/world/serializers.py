from rest_framework import serializers

from world.models import World


# [task:setup]
class WorldSerializer(serializers.ModelSerializer):
    randomNumber = serializers.IntegerField(source="randomnumber")

    class Meta:
        model = World
        fields = ["id", "randomNumber"]


# [/task:setup]
