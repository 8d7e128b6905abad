from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Fortune",
            fields=[
                ("id", models.IntegerField(primary_key=True, serialize=False)),
                ("message", models.CharField(max_length=2048)),
            ],
            options={
                "db_table": "fortune",
                "managed": False,
            },
        ),
        migrations.CreateModel(
            name="World",
            fields=[
                ("id", models.IntegerField(primary_key=True, serialize=False)),
                ("randomnumber", models.IntegerField()),
            ],
            options={
                "db_table": "world",
                "managed": False,
            },
        ),
    ]
