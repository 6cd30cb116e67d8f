"""Several app servers, proven: two gunicorn servers on one PostgreSQL behind haproxy.

``python -m tests.servers.run`` (run by ``.ci/run``) starts the stack of :mod:`.stack`, walks
learners through :mod:`.journeys` from distinct client addresses with every request asking for
the other server, stops one server with SIGTERM midway and starts it again, and then checks the
database: nothing graded twice, no answer lost. These are not pytest tests (they need haproxy,
PostgreSQL and Redis running); the suite's own tests cover each part on one process.
"""
