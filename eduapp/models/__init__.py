"""All models, imported here so Alembic and the app see the whole schema."""

from .analysis import ItemTotal
from .api import ApiToken, ApiTokenUse
from .ce import ExternalCredit, Licence, RulePack, RuleVersion
from .cebroker import CeBrokerBatch, CeBrokerReport
from .certificate import Certificate, CourseEvaluation
from .clinic import (
    Assignment,
    Clinic,
    ClinicInvite,
    ClinicMember,
    ComplianceSummary,
    LicenceEdit,
    ReminderLog,
)
from .course import Course, Module
from .credential import CertificateCredential, CredentialKey
from .export import ExportRequest, ExportStatus
from .figure import CourseFigure, Figure
from .gradebook import GradebookView, GradebookViewLearner
from .job import FailedJob
from .mail import MailStatus, OutgoingMessage
from .ownership import CourseOwner, CourseRole
from .practice import PracticeExam
from .progress import Answer, Attempt, AttemptStatus, Enrolment, ModuleProgress, Regrade
from .quiz import FINAL_KEY, Choice, Question, Quiz, QuizAccommodation
from .review import CardKind, CardOrigin, ReviewCard, ReviewLog
from .user import (
    AccountChange,
    AccountRequest,
    EmailVerification,
    LoginFailure,
    PasswordResetToken,
    RememberToken,
    Role,
    User,
)
from .version import SETTINGS, CourseVersion, VersionReview, VersionSource
from .webhook import WebhookDelivery, WebhookEndpoint

__all__ = [
    "FINAL_KEY",
    "SETTINGS",
    "AccountChange",
    "AccountRequest",
    "Answer",
    "ApiToken",
    "ApiTokenUse",
    "Assignment",
    "Attempt",
    "AttemptStatus",
    "CardKind",
    "CardOrigin",
    "CeBrokerBatch",
    "CeBrokerReport",
    "Certificate",
    "CertificateCredential",
    "Choice",
    "Clinic",
    "ClinicInvite",
    "ClinicMember",
    "ComplianceSummary",
    "Course",
    "CourseEvaluation",
    "CourseFigure",
    "CourseOwner",
    "CourseRole",
    "CourseVersion",
    "CredentialKey",
    "EmailVerification",
    "Enrolment",
    "ExportRequest",
    "ExportStatus",
    "ExternalCredit",
    "FailedJob",
    "Figure",
    "GradebookView",
    "GradebookViewLearner",
    "ItemTotal",
    "Licence",
    "LicenceEdit",
    "LoginFailure",
    "MailStatus",
    "Module",
    "ModuleProgress",
    "OutgoingMessage",
    "PasswordResetToken",
    "PracticeExam",
    "Question",
    "Quiz",
    "QuizAccommodation",
    "Regrade",
    "RememberToken",
    "ReminderLog",
    "ReviewCard",
    "ReviewLog",
    "Role",
    "RulePack",
    "RuleVersion",
    "User",
    "VersionReview",
    "VersionSource",
    "WebhookDelivery",
    "WebhookEndpoint",
]
