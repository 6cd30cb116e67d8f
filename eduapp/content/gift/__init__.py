"""GIFT, Moodle's plain-text question format: read into quiz-file questions, and written back.

The rules follow Moodle's importer (``question/format/gift/format.php``): questions are
separated by blank lines, ``//`` starts a comment line, ``::name::`` names a question,
``[markdown]``/``[html]``/``[plain]``/``[moodle]`` sets the text format, and the answer block
``{...}`` decides the type. Where Moodle guesses silently, we refuse with the line instead.

Reading gives plain dicts in the quiz-file shape (``schema.QuestionFile``), each with the line
it starts on, so the schema's rules apply to GIFT exactly as to YAML.
"""

from .read import Parsed, parse, slug
from .write import GiftExportError, escape, write, write_question

__all__ = ["GiftExportError", "Parsed", "escape", "parse", "slug", "write", "write_question"]
