"""The WSGI entry point: ``gunicorn wsgi:app``, and ``FLASK_APP=wsgi`` for every flask command."""

from eduapp import create_app

app = create_app()
