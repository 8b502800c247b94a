"""Versus benchmark app for Starlette, written the way Starlette's docs show: async
endpoints in a list of Routes, an async database library (SQLAlchemy's asyncio extension,
Core tables), Jinja2Templates."""

# [task:setup]
import contextlib
import os
from pathlib import Path
from random import randint

from sqlalchemy import Column, Integer, MetaData, String, Table, bindparam, select
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine
from starlette.applications import Starlette
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.routing import Route
from starlette.templating import Jinja2Templates

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

# The runner says postgres://...; SQLAlchemy wants the dialect+driver spelled out.
database_url = make_url(os.environ["BENCH_DATABASE_URL"]).set(drivername="postgresql+psycopg")
engine = create_async_engine(database_url, pool_size=8, max_overflow=0)
templates = Jinja2Templates(directory=Path(__file__).parent / "templates")

select_world = select(world.c.id, world.c.randomnumber).where(world.c.id == bindparam("id"))


def clamp(queries: str | None) -> int:
    """?queries=N as the tests want it: 1..500, and 1 when missing or not an integer."""
    try:
        return min(max(int(queries), 1), 500)
    except (TypeError, ValueError):
        return 1


async def read_world(connection) -> dict:
    row = (await connection.execute(select_world, {"id": randint(1, 10000)})).one()
    return {"id": row.id, "randomNumber": row.randomnumber}


# [/task:setup]


# [task:plaintext]
async def plaintext(request):
    return PlainTextResponse("Hello, World!")


# [/task:plaintext]


# [task:json]
async def json_serialization(request):
    return JSONResponse({"message": "Hello, World!"})


# [/task:json]


# [task:db]
async def single_query(request):
    async with engine.connect() as connection:
        return JSONResponse(await read_world(connection))


# [/task:db]


# [task:queries]
async def multiple_queries(request):
    count = clamp(request.query_params.get("queries"))
    async with engine.connect() as connection:
        return JSONResponse([await read_world(connection) for _ in range(count)])


# [/task:queries]


# [task:fortunes]
async def fortunes(request):
    async with engine.connect() as connection:
        rows = [dict(row) for row in (await connection.execute(select(fortune))).mappings()]
    rows.append({"id": 0, "message": "Additional fortune added at request time."})
    rows.sort(key=lambda row: row["message"])
    return templates.TemplateResponse(request, "fortunes.html", {"fortunes": rows})


# [/task:fortunes]


# [task:updates]
update_world = (
    world.update()
    .where(world.c.id == bindparam("world_id"))
    .values(randomnumber=bindparam("number"))
)


async def updates(request):
    count = clamp(request.query_params.get("queries"))
    async with engine.begin() as connection:  # one transaction, committed on leaving the block
        worlds = [await read_world(connection) for _ in range(count)]
        for row in worlds:
            row["randomNumber"] = randint(1, 10000)
        await connection.execute(  # a list of parameters: one executemany for every row
            update_world,
            [{"world_id": row["id"], "number": row["randomNumber"]} for row in worlds],
        )
    return JSONResponse(worlds)


# [/task:updates]


# [task:setup]
@contextlib.asynccontextmanager
async def lifespan(app):
    yield
    await engine.dispose()  # close the pool's connections when the server stops


app = Starlette(
    lifespan=lifespan,
    routes=[
        Route("/plaintext", plaintext),
        Route("/json", json_serialization),
        Route("/db", single_query),
        Route("/queries", multiple_queries),
        Route("/fortunes", fortunes),
        Route("/updates", updates),
    ],
)
# [/task:setup]
