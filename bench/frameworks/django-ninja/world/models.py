from django.db import models


# [task:setup]
class World(models.Model):
    randomnumber = models.IntegerField()

    class Meta:
        managed = False  # the runner creates and fills the table
        db_table = "world"


class Fortune(models.Model):
    message = models.CharField(max_length=2048)

    class Meta:
        managed = False
        db_table = "fortune"


# [/task:setup]
