"""Versus benchmark app for Pyramid, written the way Pyramid's SQLAlchemy project template
(the one its Quick Tour builds) wires things: a Configurator with view_config views,
`request.dbsession` bound to the request's transaction by pyramid_tm and zope.sqlalchemy,
and Jinja2 templates through pyramid_jinja2."""

# [task:setup]
import os
from pathlib import Path
from random import randint, sample

import zope.sqlalchemy
from pyramid.config import Configurator
from pyramid.response import Response
from pyramid.view import view_config
from sqlalchemy import create_engine, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, sessionmaker


class Base(DeclarativeBase):
    pass


class World(Base):
    __tablename__ = "world"
    id: Mapped[int] = mapped_column(primary_key=True)
    randomNumber: Mapped[int] = mapped_column("randomnumber")

    def to_dict(self):
        return {"id": self.id, "randomNumber": self.randomNumber}


class Fortune(Base):
    __tablename__ = "fortune"
    id: Mapped[int] = mapped_column(primary_key=True)
    message: Mapped[str]


def dbsession(request):
    """The request's session, joined to the transaction pyramid_tm opens for the request
    (committed when the view returns, aborted when it raises)."""
    session = request.registry["dbsession_factory"]()
    zope.sqlalchemy.register(session, transaction_manager=request.tm)
    return session


def main():
    settings = {
        "tm.manager_hook": "pyramid_tm.explicit_manager",
        "jinja2.directories": str(Path(__file__).parent / "templates"),
    }
    with Configurator(settings=settings) as config:
        config.include("pyramid_tm")
        config.include("pyramid_jinja2")
        config.add_jinja2_renderer(".html")  # .jinja2 is the default extension
        # The runner says postgres://...; SQLAlchemy wants the dialect+driver spelled out.
        url = make_url(os.environ["BENCH_DATABASE_URL"]).set(drivername="postgresql+psycopg")
        engine = create_engine(url, pool_size=4, max_overflow=0)
        # expire_on_commit=False: nothing is read from a row after its transaction ends.
        config.registry["dbsession_factory"] = sessionmaker(engine, expire_on_commit=False)
        config.add_request_method(dbsession, reify=True)
        for name in ("plaintext", "json", "db", "queries", "fortunes", "updates"):
            config.add_route(name, f"/{name}")
        config.scan()
    return config.make_wsgi_app()


def query_count(request):
    """?queries=N clamped to 1..500; missing or not an integer gives 1."""
    try:
        return min(max(int(request.GET.get("queries", 1)), 1), 500)
    except ValueError:
        return 1


# [/task:setup]


# [task:plaintext]
@view_config(route_name="plaintext")
def plaintext(request):
    return Response("Hello, World!", content_type="text/plain", charset="utf-8")


# [/task:plaintext]


# [task:json]
@view_config(route_name="json", renderer="json")
def json_serialization(request):
    return {"message": "Hello, World!"}


# [/task:json]


# [task:db]
@view_config(route_name="db", renderer="json")
def single_query(request):
    return request.dbsession.get(World, randint(1, 10000)).to_dict()


# [/task:db]


# [task:queries]
@view_config(route_name="queries", renderer="json")
def multiple_queries(request):
    # populate_existing: a repeated id is queried again, not served from the session's cache.
    return [
        request.dbsession.get(World, randint(1, 10000), populate_existing=True).to_dict()
        for _ in range(query_count(request))
    ]


# [/task:queries]


# [task:fortunes]
@view_config(route_name="fortunes", renderer="fortunes.html")
def fortunes(request):
    fortunes = list(request.dbsession.scalars(select(Fortune)))
    fortunes.append(Fortune(id=0, message="Additional fortune added at request time."))
    fortunes.sort(key=lambda fortune: fortune.message)
    return {"fortunes": fortunes}


# [/task:fortunes]


# [task:updates]
@view_config(route_name="updates", renderer="json")
def updates(request):
    # Distinct ids, so no row is updated twice in one batch.
    worlds = [
        request.dbsession.get(World, i) for i in sample(range(1, 10001), query_count(request))
    ]
    for world in worlds:
        world.randomNumber = randint(1, 10000)
    # pyramid_tm commits after the view: one flush, the changed rows in one batched UPDATE.
    return [world.to_dict() for world in worlds]


# [/task:updates]


app = main()
