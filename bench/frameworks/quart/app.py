"""Versus benchmark app for Quart, written the way Quart's docs show: async view functions,
a connection pool opened in before_serving and closed in after_serving (psycopg 3's
AsyncConnectionPool, plain SQL), Jinja through render_template."""

# [task:setup]
import os
from random import randint

from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool
from quart import Quart, Response, render_template, request

app = Quart(__name__)


@app.before_serving
async def open_pool():
    # One pool per server process, opened once the event loop runs.
    app.db_pool = AsyncConnectionPool(
        os.environ["BENCH_DATABASE_URL"], min_size=8, max_size=8, open=False
    )
    await app.db_pool.open()


@app.after_serving
async def close_pool():
    await app.db_pool.close()


def clamped_queries() -> int:
    """?queries=N as the tests want it: 1..500, and 1 when missing or not an integer."""
    return min(max(request.args.get("queries", 1, type=int), 1), 500)


async def read_world(connection) -> dict:
    cursor = await connection.execute(
        "SELECT id, randomnumber FROM world WHERE id = %s", [randint(1, 10000)]
    )
    pk, number = await cursor.fetchone()
    return {"id": pk, "randomNumber": number}


# [/task:setup]


# [task:plaintext]
@app.route("/plaintext")
async def plaintext():
    return Response("Hello, World!", mimetype="text/plain")


# [/task:plaintext]


# [task:json]
@app.route("/json")
async def json_serialization():
    return {"message": "Hello, World!"}


# [/task:json]


# [task:db]
@app.route("/db")
async def single_query():
    async with app.db_pool.connection() as connection:
        return await read_world(connection)


# [/task:db]


# [task:queries]
@app.route("/queries")
async def multiple_queries():
    count = clamped_queries()
    async with app.db_pool.connection() as connection:
        return [await read_world(connection) for _ in range(count)]


# [/task:queries]


# [task:fortunes]
@app.route("/fortunes")
async def fortunes():
    async with app.db_pool.connection() as connection:
        cursor = connection.cursor(row_factory=dict_row)
        await cursor.execute("SELECT id, message FROM fortune")
        fortunes = await cursor.fetchall()
    fortunes.append({"id": 0, "message": "Additional fortune added at request time."})
    fortunes.sort(key=lambda fortune: fortune["message"])
    return await render_template("fortunes.html", fortunes=fortunes)


# [/task:fortunes]


# [task:updates]
@app.route("/updates")
async def updates():
    count = clamped_queries()
    # The pool's connection block is one transaction, committed on leaving it.
    async with app.db_pool.connection() as connection:
        worlds = [await read_world(connection) for _ in range(count)]
        for world in worlds:
            world["randomNumber"] = randint(1, 10000)
        async with connection.cursor() as cursor:
            await cursor.executemany(
                "UPDATE world SET randomnumber = %s WHERE id = %s",
                [(world["randomNumber"], world["id"]) for world in worlds],
            )
    return worlds


# [/task:updates]
