"""GIFT, Moodle's plain-text question format: read into quiz-file questions, and written back.

The rules follow Moodle's importer (``question/format/gift/format.php``): questions are
separated by blank lines, ``//`` starts a comment line, ``::name::`` names a question, and the
answer block ``{...}`` decides the type. Where Moodle guesses silently, we refuse with the line
instead (essays, wildcards, a brace error).

Text formats (``markers``). ``[markdown]``, ``[html]``, ``[plain]`` or ``[moodle]`` may open
any piece of text: the question text, an answer, a feedback, either side of a matching pair,
the general feedback. A piece without a marker takes the question text's format (a matching
answer is plain text, as in Moodle); question text without one is read in the file's format:

- a file from anywhere else (Moodle's exports, hand-written banks) is read as Moodle reads it:
  unmarked text is Moodle's auto-format, HTML with its line breaks kept (``\\n`` is one), and
  so is ``[moodle]``;
- a file that says ``// eduapp: markdown`` on a line before its first question is ours:
  unmarked text is Markdown, as everywhere else in a course. Our exporter writes that line and
  a marker on every question, so its files read the same in Moodle and here.

A question whose pieces are all Markdown or plain text stays Markdown; any HTML or auto-format
piece makes it an HTML question (``markup: html``), its other pieces written as HTML. Either
way every text is sanitised when it is rendered for learners, as all quiz text is: HTML from
Moodle is never trusted.

Names and metadata (``ids``, ``meta``). A question's id comes from Moodle's ``// [id:...]``
comment when it has one, else from its name, else from its place in the file; names in any
script give ids, a repeated name imports with ``-2`` and a warning, and a name is kept (up to
255 characters) when the id is not the name as written. ``// [tag:...]`` comments give tags.

Reading gives plain dicts in the quiz-file shape (``schema.QuestionFile``), each with the line
it starts on, so the schema's rules apply to GIFT exactly as to YAML.
"""

from .read import Parsed, parse, slug
from .write import GiftExportError, escape, write, write_question

__all__ = ["GiftExportError", "Parsed", "escape", "parse", "slug", "write", "write_question"]
