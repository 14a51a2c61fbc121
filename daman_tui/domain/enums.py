"""The closed vocabularies of the programme, as stored values.

Stored values are stable ASCII; what a person reads comes from the catalogues in
``assets/i18n`` under ``enum.<EnumName>.<value>``.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "ApplicationKind",
    "ApplicationStatus",
    "AssetKind",
    "CalendarKind",
    "ComplaintStatus",
    "DocumentType",
    "Gender",
    "HousingType",
    "IdKind",
    "IdentityCheck",
    "IncomeType",
    "LicenceType",
    "LifeStatus",
    "MaritalStatus",
    "MemberKind",
    "ObjectionKind",
    "ObjectionOutcome",
    "ObjectionStatus",
    "OutboxState",
    "PaymentStatus",
    "Qualification",
    "Relationship",
    "Role",
    "StudyStatus",
    "VisitStatus",
]


class Role(StrEnum):
    CLERK = "clerk"
    SUPERVISOR = "supervisor"
    FIELD_OFFICER = "field_officer"
    ADMIN = "admin"


class IdKind(StrEnum):
    CITIZEN = "citizen"  # national ID, starts with 1
    RESIDENT = "resident"  # iqama, starts with 2


class Gender(StrEnum):
    MALE = "male"
    FEMALE = "female"


class LifeStatus(StrEnum):
    ALIVE = "alive"
    DECEASED = "deceased"


class MaritalStatus(StrEnum):
    SINGLE = "single"
    MARRIED = "married"
    DIVORCED = "divorced"
    WIDOWED = "widowed"


class CalendarKind(StrEnum):
    """The calendar a date was given in; it is always stored as Gregorian."""

    HIJRI = "hijri"
    GREGORIAN = "gregorian"


class MemberKind(StrEnum):
    """A person's place in a household: the head, or one of the three dependent kinds."""

    HEAD = "head"
    RELATIVE = "relative"  # قريب
    WARD = "ward"  # موصى عليه
    HOUSING_PARTNER = "housing_partner"  # شريك سكن


class Relationship(StrEnum):
    """صلة القرابة of a relative dependent to the head of household."""

    SPOUSE = "spouse"
    SON = "son"
    DAUGHTER = "daughter"
    FATHER = "father"
    MOTHER = "mother"
    BROTHER = "brother"
    SISTER = "sister"
    GRANDCHILD = "grandchild"
    OTHER = "other"


class HousingType(StrEnum):
    OWNED = "owned"
    RENTED = "rented"
    FAMILY = "family"  # living with relatives
    CHARITY = "charity"  # provided by a charity
    GOVERNMENT = "government"
    OTHER = "other"


class IncomeType(StrEnum):
    SALARY = "salary"  # الراتب
    GOVERNMENT_SUPPORT = "government_support"  # دعم حكومي
    PRIVATE_PROJECT = "private_project"  # مشاريع خاصة
    FREELANCE = "freelance"  # الأنشطة الحرة
    PROPERTY = "property"  # دخول الملكية
    TRANSFERS = "transfers"  # تحويلات جارية


class Qualification(StrEnum):
    NONE = "none"
    PRIMARY = "primary"
    INTERMEDIATE = "intermediate"
    SECONDARY = "secondary"
    DIPLOMA = "diploma"
    BACHELOR = "bachelor"
    POSTGRADUATE = "postgraduate"


class StudyStatus(StrEnum):
    NOT_STUDYING = "not_studying"
    STUDYING = "studying"
    GRADUATED = "graduated"
    DROPPED_OUT = "dropped_out"


class LicenceType(StrEnum):
    COMMERCIAL = "commercial"  # ترخيص تجاري
    LAWYER = "lawyer"  # تصريح محاماة
    ESTORE = "estore"  # متجر إلكتروني


class AssetKind(StrEnum):
    COMMERCIAL_RENTED = "commercial_rented"  # عقار تجاري مؤجر
    OWNED_LET = "owned_let"  # عقار مملوك مؤجر
    LAND = "land"


class DocumentType(StrEnum):
    NATIONAL_ID = "national_id"
    FAMILY_CARD = "family_card"
    INCOME_PROOF = "income_proof"
    BANK_DETAILS = "bank_details"
    DIVORCE_CERTIFICATE = "divorce_certificate"
    DEATH_CERTIFICATE = "death_certificate"
    DISABILITY_PROOF = "disability_proof"
    SCHOOL_CERTIFICATE = "school_certificate"
    WARD_DEED = "ward_deed"
    INDEPENDENT_HOUSING = "independent_housing"
    OBJECTION_EVIDENCE = "objection_evidence"
    VISIT_PHOTO = "visit_photo"
    OTHER = "other"


class IdentityCheck(StrEnum):
    """How the clerk verified the applicant at the counter (instead of the portal's SMS code)."""

    ID_CARD = "id_card"
    IQAMA_CARD = "iqama_card"
    FAMILY_CARD = "family_card"
    ABSHER_APP = "absher_app"


class ApplicationKind(StrEnum):
    NEW = "new"
    UPDATE = "update"


class ApplicationStatus(StrEnum):
    DRAFT = "draft"  # مسودة
    SUBMITTED = "submitted"  # تحت الإجراء
    DOCS_REQUESTED = "docs_requested"  # طلب مستندات
    VISIT_SCHEDULED = "visit_scheduled"
    VISIT_DONE = "visit_done"
    PRELIMINARY_APPROVED = "preliminary_approved"  # موافقة مبدئية
    APPROVED = "approved"  # موافقة نهائية
    REJECTED = "rejected"  # مرفوض
    SUSPENDED = "suspended"  # موقوف: payments held


class VisitStatus(StrEnum):
    SCHEDULED = "scheduled"
    DONE = "done"
    CANCELLED = "cancelled"


class ObjectionKind(StrEnum):
    ELIGIBILITY = "eligibility"
    AMOUNT = "amount"


class ObjectionStatus(StrEnum):
    DRAFT = "draft"
    FILED = "filed"  # confirmed, counts
    UNDER_REVIEW = "under_review"
    UPHELD = "upheld"
    DISMISSED = "dismissed"
    DUPLICATE = "duplicate"


class ObjectionOutcome(StrEnum):
    UPHELD = "upheld"
    DISMISSED = "dismissed"


class PaymentStatus(StrEnum):
    DUE = "due"
    PAID = "paid"
    HELD = "held"
    RETURNED = "returned"


class ComplaintStatus(StrEnum):
    DRAFT = "draft"
    FILED = "filed"
    UNDER_REVIEW = "under_review"
    RESOLVED = "resolved"
    DISMISSED = "dismissed"
    DUPLICATE = "duplicate"


class OutboxState(StrEnum):
    """Every local change ends in exactly one of these; none is ever dropped."""

    PENDING = "pending"
    APPLIED = "applied"
    MERGED = "merged"
    CONFLICT = "conflict"
    REJECTED = "rejected"
