"""Versus benchmark app for Falcon, written the way Falcon's docs show: a WSGI App with
resource classes (on_get responders), a SQLAlchemy Core engine handed to each resource, and
Jinja2 called directly (Falcon has no template layer of its own)."""

# [task:setup]
import os
from pathlib import Path
from random import randint

import falcon
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import Column, Integer, MetaData, String, Table, bindparam, create_engine, select
from sqlalchemy.engine import make_url

metadata = MetaData()
world = Table(
    "world",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("randomnumber", Integer, nullable=False),
)
fortune = Table(
    "fortune",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("message", String, nullable=False),
)
select_world = select(world.c.id, world.c.randomnumber).where(world.c.id == bindparam("id"))

# The runner says postgres://...; SQLAlchemy wants the dialect+driver spelled out.
database_url = make_url(os.environ["BENCH_DATABASE_URL"]).set(drivername="postgresql+psycopg")
# A sync gunicorn worker serves one request at a time: a small pool is plenty.
engine = create_engine(database_url, pool_size=4, max_overflow=0)
templates = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"), autoescape=select_autoescape()
)


def clamped_queries(req) -> int:
    """?queries=N as the tests want it: 1..500, and 1 when missing or not an integer."""
    try:
        return min(max(int(req.get_param("queries")), 1), 500)
    except (TypeError, ValueError):
        return 1


def read_world(connection) -> dict:
    row = connection.execute(select_world, {"id": randint(1, 10000)}).one()
    return {"id": row.id, "randomNumber": row.randomnumber}


# [/task:setup]


# [task:plaintext]
class PlaintextResource:
    def on_get(self, req, resp):
        resp.content_type = falcon.MEDIA_TEXT
        resp.text = "Hello, World!"


# [/task:plaintext]


# [task:json]
class JsonResource:
    def on_get(self, req, resp):
        resp.media = {"message": "Hello, World!"}


# [/task:json]


# [task:db]
class SingleQueryResource:
    def __init__(self, engine):
        self.engine = engine

    def on_get(self, req, resp):
        with self.engine.connect() as connection:
            resp.media = read_world(connection)


# [/task:db]


# [task:queries]
class MultipleQueriesResource:
    def __init__(self, engine):
        self.engine = engine

    def on_get(self, req, resp):
        count = clamped_queries(req)
        with self.engine.connect() as connection:
            resp.media = [read_world(connection) for _ in range(count)]


# [/task:queries]


# [task:fortunes]
class FortunesResource:
    def __init__(self, engine):
        self.engine = engine
        self.template = templates.get_template("fortunes.html")

    def on_get(self, req, resp):
        with self.engine.connect() as connection:
            rows = [dict(row) for row in connection.execute(select(fortune)).mappings()]
        rows.append({"id": 0, "message": "Additional fortune added at request time."})
        rows.sort(key=lambda row: row["message"])
        resp.content_type = falcon.MEDIA_HTML
        resp.text = self.template.render(fortunes=rows)


# [/task:fortunes]


# [task:updates]
update_world = (
    world.update()
    .where(world.c.id == bindparam("world_id"))
    .values(randomnumber=bindparam("number"))
)


class UpdatesResource:
    def __init__(self, engine):
        self.engine = engine

    def on_get(self, req, resp):
        count = clamped_queries(req)
        with self.engine.begin() as connection:  # one transaction, committed on leaving
            worlds = [read_world(connection) for _ in range(count)]
            for row in worlds:
                row["randomNumber"] = randint(1, 10000)
            connection.execute(  # a list of parameters: one executemany for every row
                update_world,
                [{"world_id": row["id"], "number": row["randomNumber"]} for row in worlds],
            )
        resp.media = worlds


# [/task:updates]


# [task:setup]
app = falcon.App()
app.add_route("/plaintext", PlaintextResource())
app.add_route("/json", JsonResource())
app.add_route("/db", SingleQueryResource(engine))
app.add_route("/queries", MultipleQueriesResource(engine))
app.add_route("/fortunes", FortunesResource(engine))
app.add_route("/updates", UpdatesResource(engine))
# [/task:setup]
