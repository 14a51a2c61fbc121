"""The document checklist of an application: which documents a household must bring.

Always: the head's national ID or iqama, the family card and the bank details. Then, from
the household itself: proof of income when anyone has an income line; the divorce or
death certificate of a divorced or widowed head; proof of disability for each member with
special needs; a school certificate for each dependent who studies; the ward deed for
each ward; proof of independent housing for a head with no dependents.

Pure: the caller describes the household (:class:`ChecklistInput`) and says which
documents were received; nothing here reads the store or the disk.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from daman_tui.domain.enums import DocumentType, MaritalStatus, MemberKind

__all__ = ["ChecklistInput", "ChecklistMember", "DocumentNeed", "checklist", "missing"]


@dataclass(frozen=True)
class ChecklistMember:
    """What the checklist needs to know of one household member."""

    national_id: str
    kind: MemberKind
    special_needs: bool = False
    studying: bool = False
    has_income: bool = False  # at least one income line


@dataclass(frozen=True)
class ChecklistInput:
    """A household as the checklist sees it; ``members`` starts with the head (kind HEAD)."""

    head_marital: MaritalStatus | None
    members: tuple[ChecklistMember, ...]


@dataclass(frozen=True)
class DocumentNeed:
    """One document to bring: for one person (``national_id``) or for the household (None)."""

    doc_type: DocumentType
    national_id: str | None
    required: bool = True


def checklist(data: ChecklistInput) -> tuple[DocumentNeed, ...]:
    """The documents ``data``'s household must bring.

    Ordered by document type (in :class:`DocumentType` order), then by member order, so
    the same household always gets the same list. A member listed twice gets one need.
    Raises :class:`ValueError` unless the first member is the head: a checklist without
    its head would silently drop the ID and misjudge "independent".
    """
    if not data.members or data.members[0].kind != MemberKind.HEAD:
        raise ValueError("the checklist's members must start with the head of household")
    head, *others = data.members
    dependents = [m for m in others if m.kind != MemberKind.HEAD]
    needs: dict[DocumentType, list[str | None]] = {t: [] for t in DocumentType}

    needs[DocumentType.NATIONAL_ID].append(head.national_id)
    needs[DocumentType.FAMILY_CARD].append(None)
    needs[DocumentType.BANK_DETAILS].append(None)
    if any(m.has_income for m in data.members):
        needs[DocumentType.INCOME_PROOF].append(None)
    if data.head_marital == MaritalStatus.DIVORCED:
        needs[DocumentType.DIVORCE_CERTIFICATE].append(None)
    if data.head_marital == MaritalStatus.WIDOWED:
        needs[DocumentType.DEATH_CERTIFICATE].append(None)
    needs[DocumentType.DISABILITY_PROOF] += [m.national_id for m in data.members if m.special_needs]
    needs[DocumentType.SCHOOL_CERTIFICATE] += [m.national_id for m in dependents if m.studying]
    needs[DocumentType.WARD_DEED] += [
        m.national_id for m in dependents if m.kind == MemberKind.WARD
    ]
    if not dependents:
        needs[DocumentType.INDEPENDENT_HOUSING].append(None)

    return tuple(
        DocumentNeed(doc_type, national_id)
        for doc_type, owners in needs.items()
        for national_id in dict.fromkeys(owners)
    )


def missing(
    needs: Iterable[DocumentNeed], received: Iterable[tuple[DocumentType, str | None]]
) -> tuple[DocumentNeed, ...]:
    """The needs no received document meets, in the order given (optional ones included).

    ``received`` holds ``(type, national_id)`` per document, national_id None for a
    document attached to the household rather than to a person. A need is met by:

    - a household need: any received document of its type, whoever it was attached to;
    - a person's need: a document of its type attached to that person, or one attached
      to the household when that person is the only one needing that type (a lone
      disability proof filed without a person is clearly theirs; with two disabled
      members it could be either one's, so it meets neither).
    """
    needs = tuple(needs)
    got: dict[DocumentType, set[str | None]] = {}
    for doc_type, national_id in received:
        got.setdefault(doc_type, set()).add(national_id)
    per_person = Counter(
        doc_type
        for doc_type, nid in {(n.doc_type, n.national_id) for n in needs}
        if nid is not None
    )

    def met(need: DocumentNeed) -> bool:
        owners = got.get(need.doc_type)
        if not owners:
            return False
        if need.national_id is None or need.national_id in owners:
            return True
        return None in owners and per_person[need.doc_type] == 1

    return tuple(n for n in needs if not met(n))
