"""Versus benchmark app for Litestar, written the way Litestar's docs show: route handler
functions, SQLAlchemy through its plugin (an AsyncSession injected into each handler that
asks for one), Jinja templates through TemplateConfig."""

# [task:setup]
import os
from pathlib import Path
from random import randint

from advanced_alchemy.extensions.litestar import (
    AsyncSessionConfig,
    EngineConfig,
    SQLAlchemyAsyncConfig,
    SQLAlchemyPlugin,
)
from litestar import Litestar, MediaType, get
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.response import Template
from litestar.template.config import TemplateConfig
from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession
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


# The runner says postgres://...; SQLAlchemy wants the dialect+driver spelled out.
database_url = make_url(os.environ["BENCH_DATABASE_URL"]).set(drivername="postgresql+psycopg")
sqlalchemy_config = SQLAlchemyAsyncConfig(
    connection_string=database_url.render_as_string(hide_password=False),
    engine_config=EngineConfig(pool_size=8, max_overflow=0),
    # expire_on_commit=False: /updates returns the rows it just committed without reloading.
    session_config=AsyncSessionConfig(expire_on_commit=False),
    metadata=Base.metadata,
)


def clamp(queries: str | None) -> int:
    """?queries=N as the tests want it: 1..500, and 1 when missing or not an integer."""
    try:
        return min(max(int(queries), 1), 500)
    except (TypeError, ValueError):
        return 1


# [/task:setup]


# [task:plaintext]
@get("/plaintext", media_type=MediaType.TEXT)
async def plaintext() -> str:
    return "Hello, World!"


# [/task:plaintext]


# [task:json]
@get("/json")
async def json_serialization() -> dict[str, str]:
    return {"message": "Hello, World!"}


# [/task:json]


# [task:db]
@get("/db")
async def single_query(db_session: AsyncSession) -> dict[str, int]:
    world = await db_session.get(World, randint(1, 10000))
    return world.to_dict()


# [/task:db]


# [task:queries]
@get("/queries")
async def multiple_queries(db_session: AsyncSession, queries: str | None = None) -> list[dict]:
    # populate_existing: a repeated id is queried again, not served from the session's cache.
    return [
        (await db_session.get(World, randint(1, 10000), populate_existing=True)).to_dict()
        for _ in range(clamp(queries))
    ]


# [/task:queries]


# [task:fortunes]
@get("/fortunes")
async def fortunes(db_session: AsyncSession) -> Template:
    fortunes = list(await db_session.scalars(select(Fortune)))
    fortunes.append(Fortune(id=0, message="Additional fortune added at request time."))
    fortunes.sort(key=lambda fortune: fortune.message)
    return Template(template_name="fortunes.html", context={"fortunes": fortunes})


# [/task:fortunes]


# [task:updates]
@get("/updates")
async def updates(db_session: AsyncSession, queries: str | None = None) -> list[dict]:
    worlds = [
        await db_session.get(World, randint(1, 10000), populate_existing=True)
        for _ in range(clamp(queries))
    ]
    for world in worlds:
        world.randomNumber = randint(1, 10000)
    await db_session.commit()  # one flush: the changed rows go out as one batched UPDATE
    return [world.to_dict() for world in worlds]


# [/task:updates]


# [task:setup]
app = Litestar(
    route_handlers=[
        plaintext,
        json_serialization,
        single_query,
        multiple_queries,
        fortunes,
        updates,
    ],
    plugins=[SQLAlchemyPlugin(config=sqlalchemy_config)],
    template_config=TemplateConfig(
        directory=Path(__file__).parent / "templates", engine=JinjaTemplateEngine
    ),
)
# [/task:setup]
