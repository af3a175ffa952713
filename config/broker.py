"""Celery's Redis transport, made to survive Redis going away while a task runs.

When the broker connection drops, Celery's consumer first `collect()`s the connection, which
detaches the transport from its kombu `Connection`, and then closes it. Closing a channel
that still holds an unacknowledged message (every running task: we acknowledge late) tries to
hand the message back to Redis, building a client from the detached transport's connection
details: kombu 5.7 then raises `AttributeError: 'NoneType' object has no attribute
'hostname'`, which Celery does not treat as a connection error, so the worker exits instead of
reconnecting. Here a detached channel raises a Redis connection error instead: Celery ignores
it while closing and reconnects, as an idle worker does. The message is not lost: Redis keeps
its copy in the unacknowledged set until the task is acknowledged or the visibility timeout
hands it out again.
"""

import redis
from kombu.transport import redis as kombu_redis


class Channel(kombu_redis.Channel):
    def _connparams(self, asynchronous=False):
        if self.connection.client is None:
            raise redis.exceptions.ConnectionError("The broker connection was closed.")
        return super()._connparams(asynchronous=asynchronous)


class Transport(kombu_redis.Transport):
    Channel = Channel
