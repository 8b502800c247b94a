"""Versus benchmark app for Bottle, written the way Bottle's docs show: routes on a Bottle()
instance, dicts returned as JSON, SimpleTemplate for HTML, and the database reached through
its DB-API driver directly, as the tutorial does with sqlite3 (here psycopg, for PostgreSQL)."""

# [task:setup]
import json
import os
from pathlib import Path
from random import randint, sample

import bottle
import psycopg
from bottle import Bottle, request, response, template

app = Bottle()
bottle.TEMPLATE_PATH.insert(0, str(Path(__file__).parent / "templates"))

_connection = None


def db():
    """This worker's connection, opened on first use (gunicorn forks the workers first).
    Autocommit: a read is one statement, with no transaction around it."""
    global _connection
    if _connection is None or _connection.closed:
        _connection = psycopg.connect(os.environ["BENCH_DATABASE_URL"], autocommit=True)
    return _connection


def query_count():
    """?queries=N clamped to 1..500; missing or not an integer gives 1."""
    try:
        return min(max(int(request.query.get("queries", 1)), 1), 500)
    except ValueError:
        return 1


def random_world(cursor, world_id):
    cursor.execute("SELECT id, randomnumber FROM world WHERE id = %s", (world_id,))
    pk, number = cursor.fetchone()
    return {"id": pk, "randomNumber": number}


# [/task:setup]


# [task:plaintext]
@app.get("/plaintext")
def plaintext():
    response.content_type = "text/plain"
    return "Hello, World!"


# [/task:plaintext]


# [task:json]
@app.get("/json")
def json_serialization():
    return {"message": "Hello, World!"}  # Bottle serialises a dict to application/json


# [/task:json]


# [task:db]
@app.get("/db")
def single_query():
    with db().cursor() as cursor:
        return random_world(cursor, randint(1, 10000))


# [/task:db]


# [task:queries]
@app.get("/queries")
def multiple_queries():
    with db().cursor() as cursor:
        worlds = [random_world(cursor, randint(1, 10000)) for _ in range(query_count())]
    # Bottle turns only dicts into JSON; a list is dumped here.
    response.content_type = "application/json"
    return json.dumps(worlds)


# [/task:queries]


# [task:fortunes]
@app.get("/fortunes")
def fortunes():
    with db().cursor() as cursor:
        cursor.execute("SELECT id, message FROM fortune")
        rows = cursor.fetchall()
    rows.append((0, "Additional fortune added at request time."))
    rows.sort(key=lambda row: row[1])
    return template("fortunes", fortunes=rows)


# [/task:fortunes]


# [task:updates]
@app.get("/updates")
def updates():
    connection = db()
    with connection.cursor() as cursor:
        # Distinct ids, so no row is updated twice in one batch.
        worlds = [random_world(cursor, i) for i in sample(range(1, 10001), query_count())]
        for world in worlds:
            world["randomNumber"] = randint(1, 10000)
        # One transaction; rows in id order so concurrent batches lock in the same order.
        with connection.transaction():
            cursor.executemany(
                "UPDATE world SET randomnumber = %s WHERE id = %s",
                [(w["randomNumber"], w["id"]) for w in sorted(worlds, key=lambda w: w["id"])],
            )
    response.content_type = "application/json"
    return json.dumps(worlds)


# [/task:updates]
