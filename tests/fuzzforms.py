"""Where the fuzz test learns what each route reads: its form class, raw form fields and
query parameters.

Forms are a registry kept by hand (a view builds its form in its body, where no test can
see it), checked against ``app.url_map`` so a new POST route without an entry fails.
Query parameters and raw ``request.form`` reads are found in the views' source, so a new
``request.args.get("x")`` is fuzzed without anyone remembering to list it.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from collections.abc import Callable
from functools import cache
from typing import Any

from flask_wtf import FlaskForm

from eduapp.admin.forms import LockoutForm, ResetLinkForm, RoleForm, StatusForm
from eduapp.api.forms import TokenForm
from eduapp.auth.forms import (
    AccountForm,
    ChangePasswordForm,
    ConfirmForm,
    LoginForm,
    LogoutForm,
    ResetPasswordForm,
    ResetRequestForm,
    SignupForm,
)
from eduapp.ce.forms import ExternalCreditForm, LicenceForm, RuleEditForm
from eduapp.cebroker.forms import ReportForm as CeBrokerReportForm
from eduapp.certificates.evaluation import EvaluationForm
from eduapp.certificates.views import ReasonForm
from eduapp.clinics.forms import (
    AcceptForm,
    AssignmentEditForm,
    AssignmentForm,
    ClinicForm,
    InviteForm,
    ManagerForm,
    StaffLicenceForm,
)
from eduapp.jobs.forms import RetryForm
from eduapp.learn.forms import ActionForm, ShareForm
from eduapp.practice.forms import StartForm as PracticeStartForm
from eduapp.practice.forms import SubmitForm as PracticeSubmitForm
from eduapp.quiz.forms import AccommodationForm, AttemptForm, StartForm
from eduapp.review.forms import AddKeypointForm, AddQuestionForm, RateForm, ReviewSettingsForm
from eduapp.studio.forms import (
    ApprovalSettingForm,
    ApproveForm,
    CoAuthorForm,
    CourseZipForm,
    FigureForm,
    ListingForm,
    ModuleForm,
    MoveForm,
    NewModuleForm,
    OwnerForm,
    PreviewForm,
    PublishForm,
    QuestionBankForm,
    RegradeForm,
)
from eduapp.studio.quiz_forms import QuizSettingsForm
from eduapp.studio.settings_forms import NewCourseForm, SettingsForm
from eduapp.webhooks.forms import EndpointForm

# The form each POST route validates; None where it is a bare FlaskForm (the CSRF token).
FORMS: dict[str, type[FlaskForm] | None] = {
    "auth.signup": SignupForm,
    "auth.login": LoginForm,
    "auth.logout": LogoutForm,
    "auth.account": AccountForm,
    "auth.change_password": ChangePasswordForm,
    "auth.reset_request": ResetRequestForm,
    "auth.reset_password": ResetPasswordForm,
    "auth.confirm": ConfirmForm,
    "auth.resend_confirmation": ConfirmForm,
    "learn.start": ActionForm,
    "learn.mark_read": ActionForm,
    "learn.move_to_newest": ActionForm,
    "learn.share_results": ShareForm,
    "quiz.start": StartForm,
    "quiz.save": AttemptForm,
    "quiz.submit": AttemptForm,
    "quiz.accommodations_page": AccommodationForm,
    "certificates.evaluate": EvaluationForm,
    "certificates.revoke": ReasonForm,
    "certificates.correct": ReasonForm,
    "ce.add_licence": LicenceForm,
    "ce.edit_licence": LicenceForm,
    "ce.delete_licence": None,
    "ce.add_external": ExternalCreditForm,
    "ce.delete_external": None,
    "ce.edit_rules": RuleEditForm,
    "clinics.admin_clinics": ClinicForm,
    "clinics.staff": InviteForm,
    "clinics.resend_invite": None,
    "clinics.revoke_invite": None,
    "clinics.assignments": AssignmentForm,
    "clinics.accept": AcceptForm,
    "clinics.edit_staff_licence": StaffLicenceForm,
    "clinics.leave": None,
    "clinics.remove_staff": None,
    "clinics.managers": ManagerForm,
    "clinics.remove_manager": None,
    "webhooks.index": EndpointForm,
    "webhooks.rotate": None,
    "webhooks.pause": None,
    "webhooks.resume": None,
    "webhooks.delete": None,
    "clinics.edit_assignment": AssignmentEditForm,
    "clinics.delete_assignment": None,
    "clinics.request_audit_pack": None,
    "clinics.request_dashboard_csv": None,
    "clinics.request_completions_csv": None,
    "studio.request_learners_csv": None,
    "studio.add_co_author": CoAuthorForm,
    "studio.assign_owner": OwnerForm,
    "studio.remove_person": None,
    "studio.preview_module": PreviewForm,
    "studio.publish": PublishForm,
    "studio.update_draft": None,
    "studio.review_draft": ApproveForm,
    "studio.approval_setting": ApprovalSettingForm,
    "studio.listing": ListingForm,
    "studio.new_course": NewCourseForm,
    "studio.save_settings": SettingsForm,
    "studio.start_draft": None,
    "studio.edit_module": ModuleForm,
    "studio.add_module": NewModuleForm,
    "studio.move_module": MoveForm,
    "studio.upload_figure": FigureForm,
    "studio.discard_draft": None,
    "studio.restore": None,
    "studio.upload_course": CourseZipForm,
    "studio.regrade_quiz": RegradeForm,
    "studio.import_bank": QuestionBankForm,
    "studio.quiz_settings": QuizSettingsForm,
    "studio.new_question": None,
    "studio.edit_question": None,
    "studio.move_question": None,
    "studio.remove_question": None,
    "practice.start": PracticeStartForm,
    "practice.exam": PracticeSubmitForm,
    "practice.save": PracticeSubmitForm,
    "admin.change_role": RoleForm,
    "cebroker.report": CeBrokerReportForm,
    "admin.deactivate": StatusForm,
    "admin.reactivate": StatusForm,
    "admin.send_reset_link": ResetLinkForm,
    "admin.clear_lockout": LockoutForm,
    "jobs.retry": RetryForm,
    "review.rate": RateForm,
    "review.add_question": AddQuestionForm,
    "review.add_keypoint": AddKeypointForm,
    "review.settings": ReviewSettingsForm,
    "api_tokens.index": TokenForm,
    "api_tokens.revoke": None,
    # The API reads JSON, not forms; tests/api/test_api_fuzz.py sends it hostile bodies.
    "api_manage.Invites": None,
    "api_manage.Assignments": None,
    "api_webhooks.Webhooks": None,
}


def _source_tree(fn: Callable[..., Any]) -> ast.AST | None:
    try:
        return ast.parse(textwrap.dedent(inspect.getsource(fn)))
    except (OSError, TypeError):  # built in, or made at run time (the static view)
        return None


def _is_request_attr(node: ast.AST, attr: str) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and node.attr == attr
        and isinstance(node.value, ast.Name)
        and node.value.id == "request"
    )


def _literal(args: list[ast.expr]) -> str | None:
    if args and isinstance(args[0], ast.Constant) and isinstance(args[0].value, str):
        return args[0].value
    return None


def _helpers(fn: Callable[..., Any], tree: ast.AST) -> list[tuple[Callable[..., Any], ast.Call]]:
    """Calls to functions of the application (not the framework), with the call."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            helper = fn.__globals__.get(node.func.id)
            if inspect.isfunction(helper) and helper.__module__.startswith("eduapp."):
                found.append((helper, node))
    return found


@cache
def reads(view: Callable[..., Any], attr: str, depth: int = 2) -> set[str] | None:
    """The names ``view`` reads from ``request.<attr>`` (``args``, ``form``), following the
    application's helpers ``depth`` calls down; None if it never touches ``request.<attr>``.

    A helper that reads a name it was given (``_int_arg("page", 1)``) counts the literal the
    view passed it.
    """
    fn = inspect.unwrap(view)
    tree = _source_tree(fn)
    if tree is None:
        return None
    names: set[str] = set()
    touched = False
    for node in ast.walk(tree):
        if _is_request_attr(node, attr):
            touched = True
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and _is_request_attr(node.func.value, attr)
            and (name := _literal(node.args))
        ):
            names.add(name)  # request.args.get("name"), .getlist("name")
        if (
            isinstance(node, ast.Subscript)
            and _is_request_attr(node.value, attr)
            and isinstance(node.slice, ast.Constant)
            and isinstance(node.slice.value, str)
        ):
            names.add(node.slice.value)  # request.args["name"]
    if depth:
        for helper, call in _helpers(fn, tree):
            inner = reads(helper, attr, depth - 1)
            if inner is not None:
                touched = True
                names |= inner
                if (name := _literal(call.args)) and f"request.{attr}" in inspect.getsource(helper):
                    names.add(name)
    return names if touched else None


def form_fields(form_class: type[FlaskForm] | None) -> list[Any]:
    """The form's fields (unbound from any request), CSRF left out: the test turns it off."""
    if form_class is None:
        return []
    form = form_class(meta={"csrf": False}, formdata=None)
    return list(form)
