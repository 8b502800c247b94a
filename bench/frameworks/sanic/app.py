"""Versus benchmark app for Sanic, written the way Sanic's guide shows: async handlers,
SQLAlchemy's asyncio ORM with one AsyncSession per request opened and closed by request and
response middleware, Jinja through Sanic Extensions' template decorator."""

# [task:setup]
import os
from email.utils import formatdate
from random import randint

from sanic import Sanic
from sanic.response import json, text
from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


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


app = Sanic("versus_bench")

# The runner says postgres://...; SQLAlchemy wants the dialect+driver spelled out.
database_url = make_url(os.environ["BENCH_DATABASE_URL"]).set(drivername="postgresql+psycopg")
engine = create_async_engine(database_url, pool_size=8, max_overflow=0)
# expire_on_commit=False: /updates returns the rows it just committed without reloading them.
sessionmaker = async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)


@app.on_request
async def open_session(request):
    request.ctx.session = sessionmaker()


@app.on_response
async def close_session(request, response):
    if hasattr(request.ctx, "session"):
        await request.ctx.session.close()


@app.on_response
async def server_and_date(request, response):
    # The tests' rules want both headers, and Sanic's server sends neither by itself.
    response.headers["Server"] = "sanic"
    response.headers["Date"] = formatdate(usegmt=True)


def clamped_queries(request) -> int:
    """?queries=N as the tests want it: 1..500, and 1 when missing or not an integer."""
    try:
        return min(max(int(request.args.get("queries")), 1), 500)
    except (TypeError, ValueError):
        return 1


# [/task:setup]


# [task:plaintext]
@app.get("/plaintext")
async def plaintext(request):
    return text("Hello, World!")


# [/task:plaintext]


# [task:json]
@app.get("/json")
async def json_serialization(request):
    return json({"message": "Hello, World!"})


# [/task:json]


# [task:db]
@app.get("/db")
async def single_query(request):
    world = await request.ctx.session.get(World, randint(1, 10000))
    return json(world.to_dict())


# [/task:db]


# [task:queries]
@app.get("/queries")
async def multiple_queries(request):
    session = request.ctx.session
    # populate_existing: a repeated id is queried again, not served from the session's cache.
    worlds = [
        await session.get(World, randint(1, 10000), populate_existing=True)
        for _ in range(clamped_queries(request))
    ]
    return json([world.to_dict() for world in worlds])


# [/task:queries]


# [task:fortunes]
@app.get("/fortunes")
@app.ext.template("fortunes.html")
async def fortunes(request):
    fortunes = list(await request.ctx.session.scalars(select(Fortune)))
    fortunes.append(Fortune(id=0, message="Additional fortune added at request time."))
    fortunes.sort(key=lambda fortune: fortune.message)
    return {"fortunes": fortunes}


# [/task:fortunes]


# [task:updates]
@app.get("/updates")
async def updates(request):
    session = request.ctx.session
    worlds = [
        await session.get(World, randint(1, 10000), populate_existing=True)
        for _ in range(clamped_queries(request))
    ]
    for world in worlds:
        world.randomNumber = randint(1, 10000)
    await session.commit()  # one flush: the changed rows go out as one batched UPDATE
    return json([world.to_dict() for world in worlds])


# [/task:updates]
