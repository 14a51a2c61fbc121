"""One walk-in family, as a clerk would type it: the head, a wife, a son, a ward and a
housing partner, two income lines, a vehicle. Service tests fill a draft from it and the
keyboard tests type it; both check the stored rows against it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from daman_tui.domain.banking import make_iban
from daman_tui.domain.enums import IdentityCheck, IdKind, MemberKind
from daman_tui.domain.ids import new_id
from daman_tui.domain.intake.form import HEAD, DraftForm
from daman_tui.domain.national_id import make_national_id
from daman_tui.domain.permissions import Actor
from daman_tui.services import intake
from daman_tui.services.documents import attach_document
from daman_tui.services.intake import DraftRef
from daman_tui.services.store import Store

HEAD_ID = make_national_id(IdKind.CITIZEN, "10203040")
IBAN = make_iban("80", "000000608010167519")

HEAD_SECTIONS: dict[str, dict[str, str]] = {
    "personal": {
        "birth_date": "1400-03-15",  # Hijri, as applicants often give it
        "first_name": "محمد",
        "father_name": "عبدالله",
        "grandfather_name": "سعد",
        "family_name": "القحطاني",
        "gender": "male",
        "nationality": "SAU",
        "life_status": "alive",
        "marital_status": "married",
        "special_needs": "no",
    },
    "beneficiary": {"existing_beneficiary": "no"},
    "contact": {"mobile": "0551234567", "email": ""},
    "bank": {"iban": IBAN, "iban_confirm": IBAN},
    "zakat": {"pays_commercial_zakat": "no"},
    "education": {
        "qualification": "secondary",
        "study_status": "not_studying",
        "scholarship_abroad": "no",
    },
    "commitments": {"meets_health_education": "", "joins_training": "yes"},
    "workers": {"has_workers": "no"},
    "permits": {
        "transport_permit": "no",
        "citc_permit": "no",
        "lawyer_permit_active": "no",
        "freelance_permit": "no",
        "estore": "no",
    },
}
HOUSEHOLD_SECTIONS: dict[str, dict[str, str]] = {
    "address": {
        "region_code": "RIY",
        "city": "الرياض",
        "district": "النسيم",
        "street": "شارع الأمير سعود",
        "building_number": "1234",
        "postal_code": "12345",
        "additional_number": "5678",
        "unit_number": "",
        "po_box": "",
    },
    "housing": {"housing_type": "rented"},
}
HEAD_GROUPS: dict[str, list[dict[str, str]]] = {
    "income_lines": [
        {"income_type": "salary", "source": "شركة النخيل", "monthly_halalas": "1500"},
        {"income_type": "freelance", "source": "توصيل", "monthly_halalas": "300.50"},
    ],
    "vehicles": [
        {"serial_number": "123456789", "manufacture_year": "2012", "value_halalas": "18000"},
    ],
}


def _dependent_common(
    first: str, birth: str, gender: str, marital: str
) -> dict[str, dict[str, str]]:
    return {
        "personal": {
            "birth_date": birth,
            "first_name": first,
            "father_name": "محمد",
            "grandfather_name": "عبدالله",
            "family_name": "القحطاني",
            "gender": gender,
            "nationality": "SAU",
            "life_status": "alive",
            "marital_status": marital,
            "special_needs": "no",
        },
        "contact": {"mobile": ""},
        "zakat": {"pays_commercial_zakat": "no"},
        "education": {
            "qualification": "none",
            "study_status": "not_studying",
            "scholarship_abroad": "no",
        },
        "commitments": {},
        "permits": {
            "transport_permit": "no",
            "citc_permit": "no",
            "lawyer_permit_active": "no",
            "freelance_permit": "no",
            "estore": "no",
        },
    }


@dataclass
class Dependent:
    kind: MemberKind
    national_id: str
    sections: dict[str, dict[str, str]]
    link: dict[str, str]
    id: str = field(default_factory=new_id)


def dependents() -> list[Dependent]:
    wife = _dependent_common("نورة", "1990-05-01", "female", "married")
    son = _dependent_common("سعد", "2015-09-10", "male", "single")
    son["education"] = {
        "qualification": "primary",
        "study_status": "studying",
        "scholarship_abroad": "no",
    }
    son["commitments"] = {"meets_health_education": "yes"}
    ward = _dependent_common("ريم", "2012-01-20", "female", "single")
    ward["commitments"] = {"meets_health_education": "yes"}
    partner = _dependent_common("فهد", "1985-07-07", "male", "single")
    partner["commitments"] = {"joins_training": "yes"}
    return [
        Dependent(
            MemberKind.RELATIVE,
            make_national_id(IdKind.CITIZEN, "10203041"),
            wife,
            {"relationship": "spouse"},
        ),
        Dependent(
            MemberKind.RELATIVE,
            make_national_id(IdKind.CITIZEN, "10203042"),
            son,
            {"relationship": "son"},
        ),
        Dependent(
            MemberKind.WARD,
            make_national_id(IdKind.CITIZEN, "10203043"),
            ward,
            {
                "ward_deed_type": "guardianship",
                "ward_deed_number": "4400123",
                "ward_deed_expiry": "2030-01-01",
            },
        ),
        Dependent(
            MemberKind.HOUSING_PARTNER,
            make_national_id(IdKind.CITIZEN, "10203044"),
            partner,
            {"partner_related_on_lease": "yes"},
        ),
    ]


def fill(form: DraftForm, deps: list[Dependent] | None = None) -> list[Dependent]:
    """Type the whole family into ``form`` (as the service would receive it)."""
    for section, values in HEAD_SECTIONS.items():
        for key, raw in values.items():
            form.set(HEAD, section, key, raw)
    for section, values in HOUSEHOLD_SECTIONS.items():
        for key, raw in values.items():
            form.set("household", section, key, raw)
    for group, items in HEAD_GROUPS.items():
        for item in items:
            form.put_item(HEAD, group, {"id": new_id(), **item})
    deps = dependents() if deps is None else deps
    for dep in deps:
        form.add_dependent(dep.id, dep.kind)
        form.set(dep.id, "personal", "national_id", dep.national_id)
        for section, values in dep.sections.items():
            for key, raw in values.items():
                form.set(dep.id, section, key, raw)
        for key, raw in dep.link.items():
            form.set(dep.id, "link", key, raw)
    return deps


def attach_scans(store: Store, actor: Actor, ref: DraftRef, folder: Path) -> list[str]:
    """One small PDF for every document the draft needs, named ``01-national_id.pdf`` and so
    on in checklist order. Returns the file names."""
    folder.mkdir(parents=True, exist_ok=True)
    status = intake.document_status(store, actor, ref.application.id, ref.form)
    names = []
    for n, need in enumerate(status.missing, start=1):
        path = folder / f"{n:02d}-{need.doc_type.value}.pdf"
        path.write_bytes(b"%PDF-1.4\n% scan " + str(n).encode() + b"\n%%EOF\n")
        attach_document(
            store,
            actor,
            household_id=ref.household_id,
            application_id=ref.application.id,
            doc_type=need.doc_type,
            subject_national_id=need.national_id,
            path=path,
        )
        names.append(path.name)
    return names


def attach_all(store: Store, actor: Actor, ref: DraftRef, folder: Path) -> None:
    """Receive one small PDF for every document the draft needs."""
    attach_scans(store, actor, ref, folder / f"scans-{ref.application.id}")
    assert intake.document_status(store, actor, ref.application.id, ref.form).missing == ()


def submitted_family(store: Store, clerk: Actor, folder: Path) -> DraftRef:
    """The family of five entered complete, its documents received, submitted today."""
    ref = intake.start_application(store, clerk, HEAD_ID, IdentityCheck.ID_CARD)
    fill(ref.form)
    attach_all(store, clerk, ref, folder)
    intake.submit(
        store, clerk, ref.application.id, ref.form, declaration_accepted=True, today=date.today()
    )
    return ref
