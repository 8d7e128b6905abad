"""Mappings of the shared schema. apps/dbtool.py creates and seeds these tables for both apps,
so Django does not manage them (managed = False; see apps/README.md)."""

from django.db import models


class World(models.Model):
    id = models.IntegerField(primary_key=True)
    randomnumber = models.IntegerField()

    class Meta:
        managed = False
        db_table = "world"

    def to_dict(self) -> dict:
        return {"id": self.id, "randomNumber": self.randomnumber}


class Fortune(models.Model):
    id = models.IntegerField(primary_key=True)
    message = models.CharField(max_length=2048)

    class Meta:
        managed = False
        db_table = "fortune"
