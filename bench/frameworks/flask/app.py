"""Versus benchmark app for Flask, written the way Flask's docs point to: Flask-SQLAlchemy
models and its request-scoped session, Jinja templates through render_template."""

# [task:setup]
import os
from random import randint

from flask import Flask, Response, render_template, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


# expire_on_commit=False: /updates returns the rows it just committed without reloading them.
db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})


class World(db.Model):
    __tablename__ = "world"
    id: Mapped[int] = mapped_column(primary_key=True)
    randomNumber: Mapped[int] = mapped_column("randomnumber")

    def to_dict(self):
        return {"id": self.id, "randomNumber": self.randomNumber}


class Fortune(db.Model):
    __tablename__ = "fortune"
    id: Mapped[int] = mapped_column(primary_key=True)
    message: Mapped[str]


app = Flask(__name__)
# The runner says postgres://...; SQLAlchemy wants the dialect+driver spelled out.
app.config["SQLALCHEMY_DATABASE_URI"] = make_url(os.environ["BENCH_DATABASE_URL"]).set(
    drivername="postgresql+psycopg"
)
# A sync gunicorn worker serves one request at a time: a small pool is plenty.
app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_size": 4, "max_overflow": 0}
db.init_app(app)


def clamped_queries() -> int:
    """?queries=N as the tests want it: 1..500, and 1 when missing or not an integer."""
    return min(max(request.args.get("queries", 1, type=int), 1), 500)


# [/task:setup]


# [task:plaintext]
@app.route("/plaintext")
def plaintext():
    return Response("Hello, World!", mimetype="text/plain")


# [/task:plaintext]


# [task:json]
@app.route("/json")
def json_serialization():
    return {"message": "Hello, World!"}


# [/task:json]


# [task:db]
@app.route("/db")
def single_query():
    return db.session.get(World, randint(1, 10000)).to_dict()


# [/task:db]


# [task:queries]
@app.route("/queries")
def multiple_queries():
    # populate_existing: a repeated id is queried again, not served from the session's cache.
    return [
        db.session.get(World, randint(1, 10000), populate_existing=True).to_dict()
        for _ in range(clamped_queries())
    ]


# [/task:queries]


# [task:fortunes]
@app.route("/fortunes")
def fortunes():
    fortunes = list(db.session.scalars(select(Fortune)))
    fortunes.append(Fortune(id=0, message="Additional fortune added at request time."))
    fortunes.sort(key=lambda fortune: fortune.message)
    return render_template("fortunes.html", fortunes=fortunes)


# [/task:fortunes]


# [task:updates]
@app.route("/updates")
def updates():
    worlds = [
        db.session.get(World, randint(1, 10000), populate_existing=True)
        for _ in range(clamped_queries())
    ]
    for world in worlds:
        world.randomNumber = randint(1, 10000)
    db.session.commit()  # one flush: the changed rows go out as one batched UPDATE
    return [world.to_dict() for world in worlds]


# [/task:updates]
