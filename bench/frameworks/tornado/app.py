"""Versus benchmark app for Tornado, written the way Tornado's docs and its blog demo do
things: RequestHandler classes, an Application holding an aiopg pool, Tornado's own
templates, and Tornado's own HTTP server forked into one process per worker."""

# [task:setup]
import asyncio
import os
from pathlib import Path
from random import randint, sample

import aiopg
import tornado
from tornado.escape import json_encode
from tornado.options import define, options

define("port", default=8888, type=int, help="port to listen on (127.0.0.1)")
define("workers", default=1, type=int, help="processes to fork, all serving that port")


class Application(tornado.web.Application):
    def __init__(self, db):
        self.db = db  # the aiopg pool, as in Tornado's blog demo
        handlers = [
            (r"/plaintext", PlaintextHandler),
            (r"/json", JsonHandler),
            (r"/db", DbHandler),
            (r"/queries", QueriesHandler),
            (r"/fortunes", FortunesHandler),
            (r"/updates", UpdatesHandler),
        ]
        templates = Path(__file__).parent / "templates"
        super().__init__(handlers, template_path=str(templates))


class BaseHandler(tornado.web.RequestHandler):
    def query_count(self):
        """?queries=N clamped to 1..500; missing or not an integer gives 1."""
        try:
            return min(max(int(self.get_argument("queries", "1")), 1), 500)
        except ValueError:
            return 1

    async def random_world(self, cursor, world_id):
        await cursor.execute("SELECT id, randomnumber FROM world WHERE id = %s", (world_id,))
        pk, number = await cursor.fetchone()
        return {"id": pk, "randomNumber": number}

    def write_json_list(self, rows):
        # write() turns only dicts into JSON (a bare list is refused): encode it here.
        self.set_header("Content-Type", "application/json; charset=UTF-8")
        self.write(json_encode(rows))


# [/task:setup]


# [task:plaintext]
class PlaintextHandler(BaseHandler):
    def get(self):
        self.set_header("Content-Type", "text/plain")
        self.write("Hello, World!")


# [/task:plaintext]


# [task:json]
class JsonHandler(BaseHandler):
    def get(self):
        self.write({"message": "Hello, World!"})  # a dict goes out as application/json


# [/task:json]


# [task:db]
class DbHandler(BaseHandler):
    async def get(self):
        with await self.application.db.cursor() as cursor:
            self.write(await self.random_world(cursor, randint(1, 10000)))


# [/task:db]


# [task:queries]
class QueriesHandler(BaseHandler):
    async def get(self):
        with await self.application.db.cursor() as cursor:
            worlds = [
                await self.random_world(cursor, randint(1, 10000))
                for _ in range(self.query_count())
            ]
        self.write_json_list(worlds)


# [/task:queries]


# [task:fortunes]
class FortunesHandler(BaseHandler):
    async def get(self):
        with await self.application.db.cursor() as cursor:
            await cursor.execute("SELECT id, message FROM fortune")
            fortunes = await cursor.fetchall()
        fortunes.append((0, "Additional fortune added at request time."))
        fortunes.sort(key=lambda fortune: fortune[1])
        self.render("fortunes.html", fortunes=fortunes)  # autoescaped: xhtml_escape


# [/task:fortunes]


# [task:updates]
class UpdatesHandler(BaseHandler):
    async def get(self):
        with await self.application.db.cursor() as cursor:
            # Distinct ids, so no row is updated twice in one batch.
            ids = sample(range(1, 10001), self.query_count())
            worlds = [await self.random_world(cursor, i) for i in ids]
            for world in worlds:
                world["randomNumber"] = randint(1, 10000)
            # aiopg connections are in autocommit mode: one statement updates the whole batch,
            # rows in id order so concurrent batches lock in the same order.
            rows = sorted(worlds, key=lambda world: world["id"])
            values = ", ".join(["(%s, %s)"] * len(rows))
            await cursor.execute(
                f"UPDATE world SET randomnumber = new.number FROM (VALUES {values})"
                " AS new (id, number) WHERE world.id = new.id",
                [value for world in rows for value in (world["id"], world["randomNumber"])],
            )
        self.write_json_list(worlds)


# [/task:updates]


# [task:setup]
async def serve(sockets):
    async with aiopg.create_pool(os.environ["BENCH_DATABASE_URL"]) as db:
        server = tornado.httpserver.HTTPServer(Application(db))
        server.add_sockets(sockets)
        await asyncio.Event().wait()


def main():
    tornado.options.parse_command_line()
    # Bind first, then fork: every process serves the same port, each with its own IOLoop
    # (and its own pool), created only after the fork.
    sockets = tornado.netutil.bind_sockets(options.port, address="127.0.0.1")
    tornado.process.fork_processes(options.workers)
    asyncio.run(serve(sockets))


if __name__ == "__main__":
    main()
# [/task:setup]
