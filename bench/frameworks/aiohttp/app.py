"""Versus benchmark app for aiohttp, written the way aiohttp's docs do things: a
RouteTableDef of coroutine handlers, the SQLAlchemy async engine (asyncpg) opened and
disposed in the application's cleanup context, aiohttp-jinja2 for the template."""

# [task:setup]
import argparse
import contextlib
import os
from pathlib import Path
from random import randint, sample

import aiohttp_jinja2
import jinja2
from aiohttp import web
from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
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


engine_key = web.AppKey("engine", AsyncEngine)
sessions_key = web.AppKey("sessions", async_sessionmaker)


@contextlib.asynccontextmanager
async def database(app: web.Application):
    # The runner says postgres://...; SQLAlchemy wants the dialect+driver spelled out.
    url = make_url(os.environ["BENCH_DATABASE_URL"]).set(drivername="postgresql+asyncpg")
    app[engine_key] = create_async_engine(url, pool_size=8, max_overflow=0)
    # expire_on_commit=False: /updates returns the rows it just committed without reloading them.
    app[sessions_key] = async_sessionmaker(app[engine_key], expire_on_commit=False)
    yield
    await app[engine_key].dispose()


def query_count(request):
    """?queries=N clamped to 1..500; missing or not an integer gives 1."""
    try:
        return min(max(int(request.query.get("queries", 1)), 1), 500)
    except ValueError:
        return 1


routes = web.RouteTableDef()
# [/task:setup]


# [task:plaintext]
@routes.get("/plaintext")
async def plaintext(request):
    return web.Response(text="Hello, World!")  # text/plain by default


# [/task:plaintext]


# [task:json]
@routes.get("/json")
async def json_serialization(request):
    return web.json_response({"message": "Hello, World!"})


# [/task:json]


# [task:db]
@routes.get("/db")
async def single_query(request):
    async with request.app[sessions_key]() as session:
        world = await session.get(World, randint(1, 10000))
    return web.json_response(world.to_dict())


# [/task:db]


# [task:queries]
@routes.get("/queries")
async def multiple_queries(request):
    async with request.app[sessions_key]() as session:
        # populate_existing: a repeated id is queried again, not served from the session's cache.
        worlds = [
            await session.get(World, randint(1, 10000), populate_existing=True)
            for _ in range(query_count(request))
        ]
    return web.json_response([world.to_dict() for world in worlds])


# [/task:queries]


# [task:fortunes]
@routes.get("/fortunes")
@aiohttp_jinja2.template("fortunes.html")
async def fortunes(request):
    async with request.app[sessions_key]() as session:
        fortunes = list(await session.scalars(select(Fortune)))
    fortunes.append(Fortune(id=0, message="Additional fortune added at request time."))
    fortunes.sort(key=lambda fortune: fortune.message)
    return {"fortunes": fortunes}


# [/task:fortunes]


# [task:updates]
@routes.get("/updates")
async def updates(request):
    async with request.app[sessions_key]() as session:
        # Distinct ids, so no row is updated twice in one batch.
        ids = sample(range(1, 10001), query_count(request))
        worlds = [await session.get(World, i) for i in ids]
        for world in worlds:
            world.randomNumber = randint(1, 10000)
        await session.commit()  # one flush: the changed rows go out as one batched UPDATE
    return web.json_response([world.to_dict() for world in worlds])


# [/task:updates]


# [task:setup]
async def create_app():
    """The application factory gunicorn's aiohttp worker calls (`app:create_app`)."""
    app = web.Application()
    app.add_routes(routes)
    app.cleanup_ctx.append(database)
    # autoescape is on by default in aiohttp_jinja2.setup().
    aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"))
    return app


def main():
    """Standalone: run_app, one process per worker, all on one port (SO_REUSEPORT)."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    for _ in range(args.workers - 1):
        if os.fork() == 0:  # a child: serve, like its parent
            break
    web.run_app(create_app(), host="127.0.0.1", port=args.port, reuse_port=True,
                access_log=None, print=None)  # fmt: skip


if __name__ == "__main__":
    main()
# [/task:setup]
