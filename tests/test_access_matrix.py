"""Every route, called as every kind of user, against a table of expected statuses.

The table is checked against ``app.url_map``: a new route (or method) missing from it fails
the suite, so nothing can be added without deciding who may use it. Someone else's attempt
answers 404, exactly like one that does not exist.
"""

from __future__ import annotations

import pytest
from flask import Flask

from tests.conftest import AuthActions, csrf_token
from tests.world import EMAILS, ROLES, build_world, url_for_rule

A, L, O, I, M, MA, MB, SB, OI = ROLES  # noqa: E741
# Two clinics: the learner (the owner of everything) is staff of clinic A, whose URLs the
# table uses; manager_b and staff_b belong to clinic B. Outside clinic pages the three clinic
# roles are ordinary learners, so their statuses default to other_learner's. The instructor
# owns the course; other_instructor (last column) owns nothing, so outside the course's
# teaching pages they default to other_learner's too, and on them they get 404: another
# instructor's course is not revealed.

# (endpoint, method): status for each role, in ROLES order. Requests run in this order, so
# state-changing ones (submit, logout) come last.
OK_ALL = (200,) * 5
SIGNED_IN = (302, 200, 200, 200, 200)  # anonymous users are sent to the sign-in page
# A course's teaching side: learners 403, its owner and admins 200, another instructor 404.
MANAGED = (302, 403, 403, 200, 200, 403, 403, 403, 404)
ADMINS_ONLY = (302, 403, 403, 403, 200, 403, 403, 403, 403)  # every other role: 403
API_ROUTES = (
    ("api_clinics.clinics", "GET"),
    ("api_clinics.staff", "GET"),
    ("api_clinics.completions", "GET"),
    ("api_clinics.certificates", "GET"),
    ("api_manage.Invites", "GET"),
    ("api_manage.Invites", "POST"),
    ("api_manage.InviteItem", "DELETE"),
    ("api_manage.Assignments", "GET"),
    ("api_manage.Assignments", "POST"),
    ("api_manage.AssignmentItem", "DELETE"),
    ("api_webhooks.Webhooks", "GET"),
    ("api_webhooks.Webhooks", "POST"),
    ("api_webhooks.WebhookItem", "PATCH"),
    ("api_webhooks.WebhookItem", "DELETE"),
    ("api_catalogue.courses", "GET"),
    ("api_catalogue.certificates", "GET"),
)
EXPECTED: dict[tuple[str, str], tuple[int, ...]] = {
    ("static", "GET"): OK_ALL,
    ("learn.catalogue", "GET"): OK_ALL,
    ("learn.course", "GET"): OK_ALL,
    ("learn.module", "GET"): SIGNED_IN,
    ("figures.figure", "GET"): SIGNED_IN,  # as module text, which shows it
    ("learn.my_learning", "GET"): SIGNED_IN,
    ("learn.privacy", "GET"): OK_ALL,
    # Public as the catalogue is; signed out, module text is not searched (search.services).
    ("search.results", "GET"): OK_ALL,
    ("quiz.overview", "GET"): SIGNED_IN,
    ("quiz.attempt", "GET"): (302, 200, 404, 404, 404),
    ("quiz.accommodations_page", "GET"): MANAGED,
    ("quiz.accommodations_page", "POST"): MANAGED,  # empty form: errors
    ("studio.item_analysis", "GET"): MANAGED,
    ("studio.item_analysis_csv", "GET"): MANAGED,
    ("studio.gradebook_page", "GET"): MANAGED,
    ("studio.gradebook_summary_csv", "GET"): MANAGED,
    # Recorded and answered with the request's page; built by a job, not here.
    ("studio.request_learners_csv", "POST"): (302, 403, 403, 302, 302, 403, 403, 403, 404),
    # The addresses before the studio: moved for good, whoever asks (the target checks).
    ("studio_legacy.old_item_analysis", "GET"): (301,) * 9,
    ("studio_legacy.old_item_analysis_csv", "GET"): (301,) * 9,
    ("studio.my_courses", "GET"): (302, 403, 403, 200, 200, 403, 403, 403, 200),  # theirs: none
    ("studio.course", "GET"): MANAGED,
    ("studio.add_co_author", "POST"): MANAGED,  # empty form: errors shown
    ("studio.assign_owner", "POST"): (302, 403, 403, 403, 200, 403, 403, 403, 404),  # admins
    ("studio.remove_person", "POST"): MANAGED,  # the co-author, by the owner: asks first
    ("studio.preview_module", "POST"): MANAGED,  # no body: the preview says there is no text
    # Nobody but the co-author has a draft: back to the course page with a message.
    ("studio.publish", "GET"): (302, 403, 403, 302, 302, 403, 403, 403, 404),
    ("studio.publish", "POST"): (302, 403, 403, 302, 302, 403, 403, 403, 404),
    ("studio.update_draft", "POST"): (302, 403, 403, 404, 404, 403, 403, 403, 404),
    ("studio.review_draft", "GET"): MANAGED,  # the co-author's draft
    ("studio.review_draft", "POST"): MANAGED,  # no note: the form says why
    ("studio.approval_setting", "POST"): (302, 403, 403, 302, 302, 403, 403, 403, 404),
    # An empty form takes the course out of the catalogue: last, so nothing after depends on it.
    ("studio.listing", "POST"): (302, 403, 403, 302, 302, 403, 403, 403, 404),
    # Any instructor may start a course (the new one is theirs); learners may not.
    ("studio.new_course", "GET"): (302, 403, 403, 200, 200, 403, 403, 403, 200),
    ("studio.new_course", "POST"): (302, 403, 403, 200, 200, 403, 403, 403, 200),  # errors
    ("studio.settings", "GET"): MANAGED,
    ("studio.save_settings", "POST"): MANAGED,  # empty form: errors shown, nothing saved
    # The author's draft: its page offers "Start editing" until the post below makes one.
    ("studio.draft", "GET"): MANAGED,
    ("studio.start_draft", "POST"): (302, 403, 403, 302, 302, 403, 403, 403, 404),
    ("studio.edit_module", "GET"): MANAGED,
    # No based_on (the hash of the text the editor loaded): a tampered save, 400.
    ("studio.edit_module", "POST"): (302, 403, 403, 400, 400, 403, 403, 403, 404),
    ("studio.add_module", "POST"): MANAGED,  # no title: the error beside the field
    ("studio.move_module", "POST"): (302, 403, 403, 400, 400, 403, 403, 403, 404),  # no direction
    ("studio.upload_figure", "POST"): (302, 403, 403, 400, 400, 403, 403, 403, 404),  # no file
    ("studio.discard_draft", "POST"): MANAGED,  # asks first
    ("studio.changes", "GET"): MANAGED,  # one version: nothing to compare yet
    ("studio.download_course", "GET"): MANAGED,
    ("studio.regrade_quiz", "GET"): MANAGED,
    ("studio.quiz_page", "GET"): MANAGED,
    ("studio.quiz_settings", "POST"): (302, 403, 403, 400, 400, 403, 403, 403, 404),  # no choice
    ("studio.new_question", "GET"): (302, 403, 403, 302, 302, 403, 403, 403, 404),  # no type
    ("studio.new_question", "POST"): (302, 403, 403, 400, 400, 403, 403, 403, 404),  # no type
    ("studio.edit_question", "GET"): MANAGED,
    # No based_on (the hash of the question the editor loaded): a tampered save, 400.
    ("studio.edit_question", "POST"): (302, 403, 403, 400, 400, 403, 403, 403, 404),
    ("studio.move_question", "POST"): (302, 403, 403, 400, 400, 403, 403, 403, 404),
    ("studio.remove_question", "POST"): MANAGED,  # asks first
    ("studio.import_bank", "GET"): MANAGED,
    ("studio.import_bank", "POST"): MANAGED,  # no file: the error beside the field
    ("studio.regrade_quiz", "POST"): MANAGED,  # no reason: the form says why, nothing done
    ("studio.upload_course", "GET"): (302, 403, 403, 200, 200, 403, 403, 403, 200),
    ("studio.upload_course", "POST"): (302, 403, 403, 200, 200, 403, 403, 403, 200),  # no file
    # Rolling back to the current version is refused with a message: back to the page.
    ("studio.restore", "POST"): (302, 403, 403, 302, 302, 403, 403, 403, 404),
    ("quiz.result", "GET"): (302, 302, 404, 404, 404),  # the owner's is still open: to the attempt
    ("practice.index", "GET"): SIGNED_IN,
    ("practice.exam", "GET"): (302, 200, 404, 404, 404),
    ("practice.result", "GET"): (302, 302, 404, 404, 404),  # not submitted: to the exam
    # No such blueprint (the world's slug is a course's); blueprints are files, not rows.
    ("practice.start", "POST"): (302, 404, 404, 404, 404),
    ("practice.save", "POST"): (302, 302, 404, 404, 404),  # nothing sent: saved, back
    ("practice.exam", "POST"): (
        302,
        302,
        404,
        404,
        404,
    ),  # no answers: graded, to the result
    ("auth.signup", "GET"): (200, 302, 302, 302, 302),
    ("auth.signup", "POST"): (200, 302, 302, 302, 302),  # empty form: errors shown, nothing made
    ("auth.signup_sent", "GET"): OK_ALL,
    ("auth.confirm", "GET"): (302,) * 5,  # a bogus token: to sign-in with a message
    ("auth.confirm", "POST"): (302,) * 5,
    ("auth.resend_confirmation", "POST"): (302,) * 5,  # nothing to resend: to sign-in
    ("auth.login", "GET"): OK_ALL,
    ("auth.login", "POST"): OK_ALL,
    ("auth.account", "GET"): SIGNED_IN,
    ("auth.account", "POST"): (302,) * 5,  # absent fields keep their values: saved, unchanged
    ("auth.change_password", "POST"): SIGNED_IN,
    ("auth.reset_request", "GET"): OK_ALL,
    ("auth.reset_request", "POST"): OK_ALL,
    ("auth.reset_password", "GET"): (302,) * 5,  # a bogus token goes back to the request form
    ("auth.reset_password", "POST"): (302,) * 5,
    ("learn.start", "POST"): (302,) * 5,
    ("learn.mark_read", "POST"): (302,) * 5,
    ("learn.move_to_newest", "POST"): (302,) * 5,  # nothing newer: back with a message
    # The enrolled learner's choice is saved; anyone not enrolled is told to start first.
    ("learn.share_results", "POST"): (302,) * 5,
    ("quiz.start", "POST"): (302,) * 5,
    # Spaced review: the learner's own card; a POST with only the token is a tampered form
    # (400), except the settings form, which says what is missing on the account page.
    ("review.index", "GET"): SIGNED_IN,
    ("review.session", "GET"): (302,) * 5,  # nothing due: back to /review
    ("review.answer", "GET"): (302, 200, 404, 404, 404),
    ("review.rate", "POST"): (302, 400, 400, 400, 400),
    ("review.add_question", "POST"): (302, 400, 400, 400, 400),
    ("review.add_keypoint", "POST"): (302, 400, 400, 400, 400),
    ("review.settings", "POST"): (302,) * 5,
    ("quiz.save", "POST"): (302, 302, 404, 404, 404),
    # The owner posting no answers meets the unanswered-questions summary (200).
    ("quiz.submit", "POST"): (302, 200, 404, 404, 404),
    ("certificates.evaluate", "GET"): (302,) * 5,  # not completed: back to the course page
    ("certificates.evaluate", "POST"): (302,) * 5,
    ("certificates.evaluations", "GET"): MANAGED,
    ("certificates.verify", "GET"): OK_ALL,  # public, for auditors
    ("certificates.pdf", "GET"): (302, 200, 404, 404, 200),
    # Public like /verify: the code is the certificate's public id; verifiers need no account.
    ("credentials.credential_json", "GET"): OK_ALL,
    ("credentials.credential_jwt", "GET"): OK_ALL,
    ("credentials.jwks", "GET"): OK_ALL,
    ("credentials.status_list", "GET"): OK_ALL,
    ("certificates.admin_list", "GET"): (302, 403, 403, 403, 200),
    ("certificates.revoke", "POST"): (302, 403, 403, 403, 302),  # no reason: nothing changes
    ("certificates.correct", "POST"): (302, 403, 403, 403, 302),
    ("ce.my_ce", "GET"): SIGNED_IN,
    ("ce.admin_rules", "GET"): (302, 403, 403, 403, 200),
    ("ce.edit_rules", "GET"): (302, 403, 403, 403, 200),
    ("ce.edit_rules", "POST"): (302, 403, 403, 403, 200),  # empty form: errors shown
    ("ce.add_licence", "GET"): SIGNED_IN,
    ("ce.add_licence", "POST"): SIGNED_IN,  # empty form: errors shown, nothing saved
    ("ce.edit_licence", "GET"): (302, 200, 404, 404, 404),
    ("ce.edit_licence", "POST"): (302, 302, 404, 404, 404),  # absent fields keep their values
    ("ce.add_external", "GET"): SIGNED_IN,
    ("ce.add_external", "POST"): SIGNED_IN,
    ("ce.external_file", "GET"): (302, 200, 404, 404, 200),
    ("ce.transcript_csv", "GET"): SIGNED_IN,
    ("ce.transcript_pdf", "GET"): SIGNED_IN,
    ("ce.delete_external", "POST"): (302, 200, 404, 404, 400),  # asks first; admins: 400
    ("ce.delete_licence", "POST"): (302, 200, 404, 404, 404),  # asks first
    # A clinic none of these people manage or belong to (tests/clinics checks two clinics).
    ("clinics.admin_clinics", "GET"): (302, 403, 403, 403, 200, 403, 403, 403),
    ("clinics.admin_clinics", "POST"): (
        302,
        403,
        403,
        403,
        200,
        403,
        403,
        403,
    ),  # empty form: errors shown
    ("clinics.my_clinics", "GET"): (302, 200, 200, 200, 200, 302, 302, 200),
    ("clinics.dashboard_page", "GET"): (302, 404, 404, 404, 404, 200, 404, 404),
    ("clinics.staff", "GET"): (302, 404, 404, 404, 404, 200, 404, 404),
    ("clinics.staff", "POST"): (302, 404, 404, 404, 404, 200, 404, 404),
    ("clinics.assignments", "GET"): (302, 404, 404, 404, 404, 200, 404, 404),
    ("clinics.assignments", "POST"): (302, 404, 404, 404, 404, 200, 404, 404),
    ("clinics.remove_staff", "POST"): (302, 404, 404, 404, 404, 200, 404, 404),  # asks first
    ("clinics.managers", "GET"): (302, 404, 404, 404, 404, 200, 404, 404),
    ("clinics.managers", "POST"): (302, 404, 404, 404, 404, 200, 404, 404),  # empty: errors
    ("clinics.remove_manager", "POST"): (302, 404, 404, 404, 404, 200, 404, 404),  # asks first
    ("clinics.edit_assignment", "GET"): (302, 404, 404, 404, 404, 200, 404, 404),
    ("clinics.edit_assignment", "POST"): (302, 404, 404, 404, 404, 302, 404, 404),  # kept as is
    ("clinics.delete_assignment", "POST"): (302, 404, 404, 404, 404, 200, 404, 404),  # asks
    ("clinics.resend_invite", "POST"): (302, 404, 404, 404, 404, 302, 404, 404),
    ("clinics.revoke_invite", "POST"): (302, 404, 404, 404, 404, 200, 404, 404),  # asks first
    ("clinics.accept", "GET"): (302,) * 8,  # a bogus token: back to My CE with a message
    ("clinics.accept", "POST"): (302,) * 8,
    ("clinics.request_dashboard_csv", "POST"): (302, 404, 404, 404, 404, 302, 404, 404),
    ("clinics.edit_staff_licence", "GET"): (302, 404, 404, 404, 404, 200, 404, 404),
    ("clinics.edit_staff_licence", "POST"): (302, 404, 404, 404, 404, 200, 404, 404),
    ("clinics.request_completions_csv", "POST"): (302, 404, 404, 404, 404, 302, 404, 404),
    # The audit pack: asked for by a manager of the clinic, built by a job; the request's page
    # and download are its owner's alone (manager_a asked for the world's one).
    ("clinics.request_audit_pack", "POST"): (302, 404, 404, 404, 404, 302, 404, 404),
    ("exports.request_page", "GET"): (302, 404, 404, 404, 404, 200, 404, 404),
    ("exports.download", "GET"): (302, 404, 404, 404, 404, 200, 404, 404),
    ("clinics.leave", "POST"): (302, 200, 404, 404, 404, 404, 404, 404),  # asks first
    # Admins' accounts pages; account_id is the learner. No role: tampered (400). The learner
    # has no lockout to clear and is active: back with a message. Deactivating asks first.
    ("admin.users", "GET"): ADMINS_ONLY,
    ("admin.user", "GET"): ADMINS_ONLY,
    ("admin.change_role", "POST"): (302, 403, 403, 403, 400, 403, 403, 403, 403),
    ("admin.deactivate", "POST"): ADMINS_ONLY,
    ("admin.reactivate", "POST"): (302, 403, 403, 403, 302, 403, 403, 403, 403),
    ("admin.clear_lockout", "POST"): (302, 403, 403, 403, 302, 403, 403, 403, 403),
    ("admin.send_reset_link", "POST"): (302, 403, 403, 403, 302, 403, 403, 403, 403),
    # CE Broker rosters, admins only. The roster downloads (empty: the course has no CE Broker
    # number); marking with no completions is refused as tampered (400).
    ("cebroker.index", "GET"): ADMINS_ONLY,
    ("cebroker.course", "GET"): ADMINS_ONLY,
    ("cebroker.roster", "GET"): ADMINS_ONLY,
    ("cebroker.report", "POST"): (302, 403, 403, 403, 400, 403, 403, 403, 403),
    # API tokens: clinic managers and admins; manager_a's own token (path value token_id).
    ("api_tokens.index", "GET"): (302, 403, 403, 403, 200, 200, 200, 403, 403),
    ("api_tokens.index", "POST"): (302, 403, 403, 403, 200, 200, 200, 403, 403),  # errors
    ("api_tokens.detail", "GET"): (302, 403, 403, 403, 404, 200, 404, 403, 403),
    ("api_tokens.revoke", "POST"): (302, 403, 403, 403, 404, 200, 404, 403, 403),  # asks
    # The API: a bearer token only, so a browser's session cookie alone is a 401 for everyone
    # (tests/api/test_api_access.py calls each endpoint with every kind of token).
    **dict.fromkeys(API_ROUTES, (401,) * 5),
    ("api-docs.openapi_json", "GET"): OK_ALL,
    ("api_docs.docs", "GET"): OK_ALL,
    # Webhooks: clinic A's managers only, as the clinic's other pages; rotating shows the new
    # secret (200), pausing and resuming go back to the page, deleting asks first.
    ("webhooks.index", "GET"): (302, 404, 404, 404, 404, 200, 404, 404),
    ("webhooks.index", "POST"): (302, 404, 404, 404, 404, 200, 404, 404),  # empty: errors
    ("webhooks.rotate", "POST"): (302, 404, 404, 404, 404, 200, 404, 404),
    ("webhooks.pause", "POST"): (302, 404, 404, 404, 404, 302, 404, 404),
    ("webhooks.resume", "POST"): (302, 404, 404, 404, 404, 302, 404, 404),
    ("webhooks.delete", "POST"): (302, 404, 404, 404, 404, 200, 404, 404),  # asks first
    ("jobs.failed", "GET"): ADMINS_ONLY,
    ("jobs.retry", "POST"): (302, 403, 403, 403, 302, 403, 403, 403, 403),
    ("auth.logout", "POST"): (302,) * 5,
}


def expected(statuses: tuple[int, ...], role: str) -> int:
    """A row's status for ``role``; short rows give the clinic roles other_learner's."""
    column = ROLES.index(role)
    return statuses[column] if column < len(statuses) else statuses[ROLES.index(O)]


def test_every_route_is_in_the_table(app: Flask) -> None:
    routes = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert routes - set(EXPECTED) == set(), "add these routes to EXPECTED"
    assert set(EXPECTED) - routes == set(), "these routes no longer exist"


@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(app: Flask, imported: None, make_user, role: str) -> None:
    world = build_world(app, make_user)
    client = app.test_client()
    if role != A:
        AuthActions(client).login(EMAILS[role])
    token = csrf_token(client, "/login")

    failures = []
    for (endpoint, method), row in EXPECTED.items():
        status = expected(row, role)
        url = url_for_rule(app, endpoint, world.path_values())
        if method == "GET":
            response = client.get(url)
        elif method in ("DELETE", "PATCH"):
            response = client.open(url, method=method)
        else:
            response = client.post(url, data={"csrf_token": token})
        response.close()
        if response.status_code != status:
            failures.append(f"{method} {url}: {response.status_code}, expected {status}")
    assert not failures, f"as {role}:\n" + "\n".join(failures)
