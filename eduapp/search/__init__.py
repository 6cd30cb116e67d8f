"""Search across the catalogue's published courses (issue 15).

One service over two full-text engines, chosen by the database's dialect: SQLite's FTS5 and
PostgreSQL's ``tsvector``. ``text`` turns sanitised module HTML into the plain text both index;
``query`` turns what a person typed into a query neither engine can misread; ``excerpts``
marks the matches in Python; ``index`` keeps a course's rows in step with its current
version; ``services`` answers the page.
"""
