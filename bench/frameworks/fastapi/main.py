"""Versus benchmark app for FastAPI, written the way the FastAPI tutorial does things:
SQLModel models, one sync Session per request through a dependency, Jinja2Templates."""

# [task:setup]
import os
from pathlib import Path
from random import randint
from typing import Annotated

from fastapi import Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, PlainTextResponse
from fastapi.templating import Jinja2Templates
from sqlalchemy import Column, Integer
from sqlalchemy.engine import make_url
from sqlmodel import Field, Session, SQLModel, create_engine, select


class World(SQLModel, table=True):
    id: int = Field(primary_key=True)
    randomNumber: int = Field(sa_column=Column("randomnumber", Integer, nullable=False))


class Fortune(SQLModel, table=True):
    id: int = Field(primary_key=True)
    message: str


# The runner says postgres://...; SQLAlchemy wants the dialect+driver spelled out.
database_url = make_url(os.environ["BENCH_DATABASE_URL"]).set(drivername="postgresql+psycopg")
engine = create_engine(database_url, pool_size=8, max_overflow=0)


def get_session():
    # expire_on_commit=False: /updates returns the rows it just committed without reloading them.
    with Session(engine, expire_on_commit=False) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]

app = FastAPI()
templates = Jinja2Templates(directory=Path(__file__).parent / "templates")


def clamp(queries: str | None) -> int:
    """?queries=N as the tests want it: 1..500, and 1 when missing or not an integer."""
    try:
        return min(max(int(queries), 1), 500)
    except (TypeError, ValueError):
        return 1


# [/task:setup]


# [task:plaintext]
@app.get("/plaintext", response_class=PlainTextResponse)
async def plaintext():
    return "Hello, World!"


# [/task:plaintext]


# [task:json]
@app.get("/json")
async def json_serialization():
    return {"message": "Hello, World!"}


# [/task:json]


# [task:db]
@app.get("/db")
def single_query(session: SessionDep) -> World:
    return session.get(World, randint(1, 10000))


# [/task:db]


# [task:queries]
@app.get("/queries")
def multiple_queries(session: SessionDep, queries: str | None = None) -> list[World]:
    # populate_existing: a repeated id is queried again, not served from the session's cache.
    return [
        session.get(World, randint(1, 10000), populate_existing=True) for _ in range(clamp(queries))
    ]


# [/task:queries]


# [task:fortunes]
@app.get("/fortunes", response_class=HTMLResponse)
def fortunes(request: Request, session: SessionDep):
    fortunes = list(session.exec(select(Fortune)).all())
    fortunes.append(Fortune(id=0, message="Additional fortune added at request time."))
    fortunes.sort(key=lambda fortune: fortune.message)
    return templates.TemplateResponse(request, "fortunes.html", {"fortunes": fortunes})


# [/task:fortunes]


# [task:updates]
@app.get("/updates")
def updates(session: SessionDep, queries: str | None = None) -> list[World]:
    worlds = [
        session.get(World, randint(1, 10000), populate_existing=True) for _ in range(clamp(queries))
    ]
    for world in worlds:
        world.randomNumber = randint(1, 10000)
    session.commit()  # one flush: the changed rows go out as one batched UPDATE
    return worlds


# [/task:updates]
