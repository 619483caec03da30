"""Every casework list and single object, page and API, costs an exact number of SQL queries.

Each test builds several rows whose related objects differ (places, categories, handling units,
handlers, co-handlers, extensions), pins the number of queries with
``django_assert_num_queries``, adds as many rows again and pins the same number: the count is
exact, and it does not grow with the rows.

What every signed-in request pays before the view runs: the session and the user (2 queries);
most views then read the viewer's scope (1), and pages with the header count the unread
notifications (1).
"""

import io
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from PIL import Image

from casework import services
from casework.models import Role, UnitKind


@pytest.fixture(autouse=True)
def _clean_slate(settings, tmp_path):
    """An empty cache (the working calendar, the dashboards), so a count does not depend on
    which test ran before; photos go to a folder of the test's own."""
    cache.clear()
    settings.MEDIA_ROOT = tmp_path / "media"


def png(name="site.png"):
    out = io.BytesIO()
    Image.new("RGB", (8, 6), (40, 120, 200)).save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


@pytest.fixture
def places(tree):
    """Places in community A a case can be about, each a different kind of unit."""
    return [tree.compound_a1, tree.building_a1, tree.grid_a2, tree.grid_a1, tree.community_a]


@pytest.fixture
def make_case(tree, people, places, category, verified_category):
    """Open the ``i``-th case and bring it to ``state``; consecutive cases differ in place,
    category, urgency, who opened them, the handling unit and handler, and co-handlers."""

    def make(i, state="new"):
        place = places[i % len(places)]
        in_grid_a1 = place.path.startswith(tree.grid_a1.path)
        case = services.case_open(
            actor=people.grid_a1 if i % 2 and in_grid_a1 else people.supervisor_a,
            category=(category, verified_category)[i % 2],
            unit=place,
            title=f"案件{i}",
            urgency=("normal", "urgent", "emergency")[i % 3],
        )
        if state == "new":
            return case
        if state == "parked":
            return services.case_park(
                case=case,
                actor=people.supervisor_a,
                plan="列入明年改造计划",
                review_on=timezone.localdate() + timedelta(days=30 + i),
            )
        company = i % 2 == 0
        lead, other = tree.company, tree.department
        if not company:
            lead, other = other, lead
        case = services.case_assign(
            case=case,
            actor=people.supervisor_a,
            unit=lead,
            co_handlers=[other] if i % 3 == 0 else [],
        )
        if state == "assigned":
            return case
        handler = people.handler_company if company else people.handler_department
        case = services.case_accept(case=case, actor=handler)
        if i % 4 == 1:
            services.extension_apply(
                case=case, actor=handler, due_at=case.due_at + timedelta(days=3), reason="等配件"
            )
        if state == "in_progress":
            return case
        case = services.case_resolve(case=case, actor=handler, result="修好了")
        assert state == "resolved"
        return case

    return make


@pytest.fixture
def mixed_cases(make_case):
    """``upto(total)``: open cases until there are ``total``, in every state in turn."""
    states = ["new", "assigned", "in_progress", "resolved", "parked"]
    made = []

    def upto(total):
        while len(made) < total:
            made.append(make_case(len(made), states[len(made) % len(states)]))
        return made

    return upto


@pytest.fixture
def rich_case(tree, people, open_case):
    """A case worked by the property company with the department co-handling, an extension
    decided and another pending, photos and notes; ``more()`` adds photos, notes and a second
    co-handler's report."""
    sup, handler, dept = people.supervisor_a, people.handler_company, people.handler_department
    case = services.case_assign(
        case=open_case(), actor=sup, unit=tree.company, co_handlers=[tree.department]
    )
    case = services.case_accept(case=case, actor=handler)
    services.extension_apply(
        case=case, actor=handler, due_at=case.due_at + timedelta(days=3), reason="等配件"
    )
    services.extension_decide(case=case, actor=sup, approve=True)
    case.refresh_from_db()
    services.extension_apply(
        case=case, actor=handler, due_at=case.due_at + timedelta(days=5), reason="再等"
    )
    added = []

    def more(k=3):
        for _ in range(k):
            n = len(added)
            who = (people.grid_a1, handler, sup)[n % 3]
            services.case_photo_add(case=case, actor=who, upload=png(), caption=f"现场{n}")
            services.case_note(case=case, actor=(dept, handler, sup)[n % 3], note=f"进展{n}")
            added.append(n)
        if len(added) == 6:  # the second call: the department reports its part
            services.co_handling_report(case=case, actor=dept, opinion="资质核查无误")
        case.refresh_from_db()
        return case

    more()
    return SimpleNamespace(case=case, more=more)


@pytest.fixture
def company_cases(make_case):
    """``upto(total)``: cases the property company leads (nobody signed for yet, or signed for
    by its handler) or shares as a co-handler, in turn, until there are ``total``."""
    indices = [i for i in range(100) if i % 2 == 0 or i % 3 == 0]  # odd: the department leads
    made = []

    def upto(total):
        while len(made) < total:
            made.append(make_case(indices[len(made)], ("assigned", "in_progress")[len(made) % 2]))
        return made

    return upto


# --- Case pages --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("queue", "state", "n"),
    [
        # New cases have no co-handlers: the co-handling rows' units are not fetched.
        ("new", "new", 11),
        ("awaiting_feedback", "resolved", 12),
    ],
)
def test_the_case_queues_page(
    client_as, people, make_case, django_assert_num_queries, queue, state, n
):
    client = client_as(people.supervisor_a)
    made = []
    for total in (5, 10):
        while len(made) < total:
            made.append(make_case(len(made), state))
        with django_assert_num_queries(n):
            page = client.get(reverse("case-queues"), {"queue": queue})
        assert page.status_code == 200
        assert page.context["page"].paginator.count == total


def test_my_cases_page(client_as, people, company_cases, django_assert_num_queries):
    client = client_as(people.handler_company)
    for total in (5, 10):
        company_cases(total)
        with django_assert_num_queries(11):
            page = client.get(reverse("case-mine"))
        assert page.status_code == 200
        assert page.context["page"].paginator.count == total


def test_the_case_page(client_as, people, rich_case, django_assert_num_queries):
    client = client_as(people.supervisor_a)
    url = reverse("case-detail", args=[rich_case.case.pk])
    for photos in (3, 6):
        # The case as the list reads it (1 + 5 prefetches), the header, the units and handlers
        # the action forms offer, the photos, the history; the requests panel reads nothing
        # more for a case without requests (tests/casework/test_case_parties_see_requests.py
        # counts one with them), and the service desks (one query: is there a desk above to
        # send the case up to?).
        with django_assert_num_queries(15):
            page = client.get(url)
        assert page.status_code == 200
        assert len(page.context["photos"]) == photos
        rich_case.more()


# --- Case API ----------------------------------------------------------------------------------


def test_the_case_list_api(api_as, people, mixed_cases, django_assert_num_queries):
    client = api_as(people.supervisor_a)
    for total in (5, 10):
        mixed_cases(total)
        # The service desks among them: read once for every case listed (send-up's offer).
        with django_assert_num_queries(11):
            body = client.get("/api/v1/cases/", {"page_size": 1000}).json()
        assert body["count"] == total


def test_the_case_export(api_as, people, mixed_cases, django_assert_num_queries):
    client = api_as(people.supervisor_a)
    for total in (5, 10):
        mixed_cases(total)
        # The list's queries, then the export's record (within a savepoint).
        with django_assert_num_queries(13):
            response = client.get("/api/v1/cases/", {"format": "xlsx"})
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert sheet.max_row == 1 + total


def test_the_case_queue_counts_api(api_as, people, mixed_cases, django_assert_num_queries):
    client = api_as(people.supervisor_a)
    for total in (5, 10):
        mixed_cases(total)
        with django_assert_num_queries(4):
            counts = client.get("/api/v1/cases/queues/").json()
        assert counts["new"] == counts["awaiting_feedback"] == counts["parked"] == total // 5


def test_one_case_over_the_api(api_as, people, rich_case, django_assert_num_queries):
    client = api_as(people.supervisor_a)
    url = f"/api/v1/cases/{rich_case.case.pk}/"
    for reported in (False, True):
        # The case with its co-handlers, co-handling parts and their units, its extensions and
        # the requests behind it, and the service desks (send-up's offer).
        with django_assert_num_queries(10):
            body = client.get(url).json()
        assert len(body["extensions"]) == 2 and len(body["co_handling"]) == 1
        assert (body["co_handling"][0]["done_at"] is not None) == reported
        rich_case.more()


def test_a_cases_events_over_the_api(api_as, people, rich_case, django_assert_num_queries):
    client = api_as(people.supervisor_a)
    url = f"/api/v1/cases/{rich_case.case.pk}/events/"
    before = None
    for _round in range(2):
        # Session, user, scope, the case (scoped, no joins), its events with their actors.
        with django_assert_num_queries(5):
            events = client.get(url).json()
        assert len({e["actor"] for e in events}) >= 3
        assert before is None or len(events) > before
        before = len(events)
        rich_case.more()


def test_a_cases_photos_over_the_api(api_as, people, rich_case, django_assert_num_queries):
    client = api_as(people.supervisor_a)
    url = f"/api/v1/cases/{rich_case.case.pk}/photos/"
    for photos in (3, 6):
        with django_assert_num_queries(5):
            body = client.get(url).json()
        assert len(body) == photos
        rich_case.more()


# --- Consultations -----------------------------------------------------------------------------


@pytest.fixture
def meetings(tree, people, make_case):
    """``upto(total)``: record meetings until there are ``total``, at different places, of
    different types, each with its own parties, cases on the agenda and a topic without a case,
    some decided."""
    made = []
    parties = [
        ("residents_committee", "张主任"),
        ("property_company", "王经理"),
        ("owners_committee", "李主任"),
        ("building_leader", "党员楼长"),
    ]
    units = [tree.community_a, tree.grid_a1, tree.compound_a1, tree.grid_a2]

    def upto(total):
        while len(made) < total:
            n = len(made)
            cases = [make_case(3 * n + k, ("new", "assigned")[k % 2]) for k in range(n % 3 + 1)]
            place = units[n % len(units)]
            if not all(case.unit.path.startswith(place.path) for case in cases):
                place = tree.community_a  # a case from elsewhere in the community is discussed
            meeting = services.meeting_create(
                actor=people.supervisor_a,
                unit=place,
                held_at=timezone.now() - timedelta(hours=n + 1),
                place=f"议事厅{n}",
                topic=f"议题{n}",
                participants=parties[: 2 + n % 3],
                cases=cases,
                type=("four_party", "joint", "residents_council", "other")[n % 4],
                topics=[
                    services.TopicInput(title=f"无案件议题{n}", resolves=n % 3 == 0, decision="定")
                ],
            )
            if n % 2:
                item = meeting.agenda.first()
                services.meeting_decide(
                    actor=people.supervisor_a, item=item, decision="由物业限期整改", resolves=True
                )
            made.append(meeting)
        return made

    return upto


def test_the_meetings_page(client_as, people, meetings, django_assert_num_queries):
    client = client_as(people.supervisor_a)
    for total in (5, 10):
        meetings(total)
        # The figures per type: the types, the meetings per type, the topics per type.
        with django_assert_num_queries(11):
            page = client.get(reverse("meeting-list"))
        assert page.status_code == 200
        assert page.context["figures"]["meetings"] == total


def test_a_meeting_page(client_as, people, meetings, make_case, django_assert_num_queries):
    client = client_as(people.supervisor_a)
    (meeting,) = meetings(1)
    url = reverse("meeting-detail", args=[meeting.pk])
    for total in (5, 10):
        while meeting.agenda.count() < total:
            case = make_case(100 + meeting.agenda.count(), "assigned")
            services.meeting_add_case(actor=people.supervisor_a, meeting=meeting, case=case)
        with django_assert_num_queries(7):
            page = client.get(url)
        assert page.status_code == 200
        assert len(page.context["meeting"].agenda.all()) == total


def test_the_new_meeting_form_lists_the_cases(
    client_as, people, mixed_cases, django_assert_num_queries
):
    client = client_as(people.supervisor_a)
    for total in (5, 10):
        mixed_cases(total)
        # The active meeting types for the form's select: one query.
        with django_assert_num_queries(12):
            page = client.get(reverse("meeting-new"))
        assert page.status_code == 200
        assert len(page.context["form"].fields["cases"].queryset) == total


def test_the_meetings_api(api_as, people, meetings, django_assert_num_queries):
    client = api_as(people.supervisor_a)
    for total in (5, 10):
        meetings(total)
        with django_assert_num_queries(7):
            body = client.get("/api/v1/meetings/", {"page_size": 1000}).json()
        assert body["count"] == total


def test_one_meeting_over_the_api(api_as, people, meetings, make_case, django_assert_num_queries):
    client = api_as(people.supervisor_a)
    (meeting,) = meetings(1)
    for total in (5, 10):
        while meeting.agenda.count() < total:
            case = make_case(100 + meeting.agenda.count(), "assigned")
            services.meeting_add_case(actor=people.supervisor_a, meeting=meeting, case=case)
        with django_assert_num_queries(6):
            body = client.get(f"/api/v1/meetings/{meeting.pk}/").json()
        assert len(body["agenda"]) == body["cases_count"] == total


# --- Inbox -------------------------------------------------------------------------------------


@pytest.fixture
def inbox_of_the_company(people, company_cases):
    """``upto(total)``: notifications to the company's handler about different cases, assigned
    to the company or shared with it, until there are at least ``total``; their number."""
    from casework.models import Notification

    def upto(total):
        mine = Notification.objects.filter(user=people.handler_company)
        cases = company_cases(0)  # the cases made so far; each call adds to it
        while mine.count() < total:
            company_cases(len(cases) + 1)
        return mine.count()

    return upto


def test_the_inbox_page(client_as, people, inbox_of_the_company, django_assert_num_queries):
    client = client_as(people.handler_company)
    for least in (5, 10):
        total = inbox_of_the_company(least)
        with django_assert_num_queries(6):
            page = client.get(reverse("inbox"))
        assert page.status_code == 200
        assert page.context["page"].paginator.count == total


def test_the_notifications_api(api_as, people, inbox_of_the_company, django_assert_num_queries):
    client = api_as(people.handler_company)
    for least in (5, 10):
        total = inbox_of_the_company(least)
        with django_assert_num_queries(4):
            body = client.get("/api/v1/notifications/", {"page_size": 1000}).json()
        assert body["count"] == total
        assert len({n["case"] for n in body["results"]}) > 1
        assert {n["kind"] for n in body["results"]} == {"assigned", "co_handling"}


def test_the_notification_preferences(client_as, api_as, people, django_assert_num_queries):
    from casework.services.notifications import preference_set

    preference_set(user=people.handler_company, email=True, sms=False, digest=True)
    page = client_as(people.handler_company)
    with django_assert_num_queries(5):
        assert page.get(reverse("inbox-preferences")).status_code == 200
    api = api_as(people.handler_company)
    with django_assert_num_queries(3):
        body = api.get("/api/v1/notifications/preferences/").json()
    assert body == {"email": True, "sms": False, "digest": True}


# --- The dashboard -----------------------------------------------------------------------------


@pytest.fixture
def cases_in_communities(tree, people, make_case, category):
    """``upto(total)``: cases in community A (in every state), community B and, every fifth,
    a new community of the town: the dashboard ranks more communities as it grows."""
    made = []

    def upto(total):
        while len(made) < total:
            n = len(made)
            if n % 5 == 4:
                community = services.unit_create(
                    name=f"新社区{n}", kind=UnitKind.COMMUNITY, parent=tree.town
                )
                made.append(
                    services.case_open(
                        actor=people.admin, category=category, unit=community, title=f"新{n}"
                    )
                )
            elif n % 5 == 2:
                made.append(
                    services.case_open(
                        actor=people.grid_b1,
                        category=category,
                        unit=tree.compound_b1,
                        title=f"城西{n}",
                    )
                )
            else:
                made.append(make_case(n, ("new", "assigned", "in_progress", "resolved")[n % 4]))
        return made

    return upto


def test_the_dashboard_page(
    client_as, people, tree, cases_in_communities, settings, django_assert_num_queries
):
    settings.MINQING_DASHBOARD_CACHE_SECONDS = 0  # every request builds the figures
    client = client_as(people.admin)
    for total in (5, 10):
        cases_in_communities(total)
        # The API's 27, then the unit's ancestors, the header, the units to choose from, the
        # two that leave units with no cases out of the red and black lists, and the rates per
        # worker (their memberships, their events as handlers and as collectors).
        with django_assert_num_queries(35):
            page = client.get(
                reverse("dashboard"),
                {"unit": tree.county.pk, "month": timezone.localdate().strftime("%Y-%m")},
            )
        assert page.status_code == 200
        assert page.context["data"]["volumes"]["cases_opened"] == total


def test_the_dashboard_api(
    api_as, people, tree, cases_in_communities, settings, django_assert_num_queries
):
    settings.MINQING_DASHBOARD_CACHE_SECONDS = 0
    client = api_as(people.admin)
    for total in (5, 10):
        cases_in_communities(total)
        # The unit, then 23 queries of figures (the visits' figures are one of them, beside the
        # all-channel requests count; the meetings three: held, topics, the types), however many
        # cases and communities ranked.
        with django_assert_num_queries(27):
            body = client.get("/api/v1/dashboard/", {"unit": tree.county.pk}).json()
        assert body["volumes"]["cases_opened"] == total


def test_a_cached_dashboard(api_as, people, tree, cases_in_communities, django_assert_num_queries):
    """Within the cache's time, a dashboard costs the unit's look-up and nothing more."""
    client = api_as(people.admin)
    cases_in_communities(5)
    client.get("/api/v1/dashboard/", {"unit": tree.county.pk})
    with django_assert_num_queries(4):
        body = client.get("/api/v1/dashboard/", {"unit": tree.county.pk}).json()
    assert body["volumes"]["cases_opened"] == 5


# --- The hierarchy, the people, the taxonomy ---------------------------------------------------


@pytest.fixture
def grow_tree(tree):
    """``upto(total)``: grids in both communities, each with a worker (and every other one a
    volunteer), until ``total`` grids were added."""
    made = []

    def upto(total):
        while len(made) < total:
            n = len(made)
            community = (tree.community_a, tree.community_b)[n % 2]
            grid = services.unit_create(name=f"G{n}", kind=UnitKind.GRID, parent=community)
            worker = services.person_create(username=f"w{n}", name=f"网格员{n}")
            services.membership_grant(user=worker, unit=grid, role=Role.GRID_WORKER)
            if n % 2:
                services.membership_grant(user=worker, unit=community, role=Role.VOLUNTEER)
            made.append(grid)
        return made

    return upto


def test_a_unit_page(client_as, people, tree, grow_tree, django_assert_num_queries):
    client = client_as(people.supervisor_a)
    for total in (6, 12):  # half of them in community A
        grow_tree(total)
        with django_assert_num_queries(9):
            page = client.get(reverse("unit-detail", args=[tree.community_a.pk]))
        assert page.status_code == 200
        assert len(page.context["children"]) == 3 + total // 2  # company, A1, A2 and the new


def test_the_home_page(client_as, people, tree, django_assert_num_queries):
    """The home page lists the viewer's memberships, one panel per role."""
    from casework.selectors.calendar import working_calendar

    working_calendar()  # cached, as after any deadline was computed; then not read again
    client = client_as(people.admin)  # an admin of the city
    units = [tree.county, tree.town, tree.community_a, tree.community_b, tree.department]
    units += [tree.grid_a1, tree.grid_b1, tree.company, tree.compound_b1]
    roles = [Role.SUPERVISOR, Role.HANDLER, Role.GRID_WORKER, Role.VOLUNTEER]
    for total in (5, 10):
        while (n := people.admin.memberships.count()) < total:
            services.membership_grant(user=people.admin, unit=units[n - 1], role=roles[n % 4])
        with django_assert_num_queries(5):
            page = client.get(reverse("home"))
        assert page.status_code == 200
        assert len(page.context["memberships"]) == total


@pytest.mark.parametrize("what", ["units", "people"])
def test_the_unit_and_people_lists(api_as, people, grow_tree, django_assert_num_queries, what):
    client = api_as(people.admin)
    for total in (5, 10):
        grow_tree(total)
        with django_assert_num_queries(6):
            body = client.get(f"/api/v1/{what}/", {"page_size": 1000}).json()
        assert body["count"] == (13 if what == "units" else 9) + total


def test_one_unit_over_the_api(api_as, people, grow_tree, django_assert_num_queries):
    client = api_as(people.admin)
    for total in (5, 10):
        grid = grow_tree(total)[-1]
        with django_assert_num_queries(5):
            body = client.get(f"/api/v1/units/{grid.pk}/").json()
        assert body["parent"] is not None


def test_one_person_over_the_api(api_as, people, tree, grow_tree, django_assert_num_queries):
    """A person with memberships in several units shows each one in the viewer's scope."""
    client = api_as(people.admin)
    person = people.grid_a1
    for total in (5, 10):
        for grid in grow_tree(total):
            if not person.memberships.filter(unit=grid).exists():
                services.membership_grant(user=person, unit=grid, role=Role.VOLUNTEER)
        with django_assert_num_queries(5):
            body = client.get(f"/api/v1/people/{person.pk}/").json()
        assert len(body["memberships"]) == 1 + total


@pytest.fixture
def grow_categories(db):
    made = []

    def upto(total):
        while len(made) < total:
            n = len(made)
            parent = services.category_create(code=f"group{n}", name=f"大类{n}")
            made.append(
                services.category_create(
                    code=f"group{n}-leaf",
                    name=f"小类{n}",
                    parent=parent,
                    deadline_class=("general", "emergency", "complex")[n % 3],
                )
            )
        return made

    return upto


def test_the_category_list(api_as, people, grow_categories, django_assert_num_queries):
    client = api_as(people.grid_a1)
    for total in (5, 10):
        grow_categories(total)
        with django_assert_num_queries(4):
            body = client.get("/api/v1/categories/", {"page_size": 1000}).json()
        assert body["count"] >= 2 * total


def test_one_category(api_as, people, grow_categories, django_assert_num_queries):
    client = api_as(people.grid_a1)
    for total in (5, 10):
        leaf = grow_categories(total)[-1]
        with django_assert_num_queries(3):
            body = client.get(f"/api/v1/categories/{leaf.pk}/").json()
        assert body["parent"] == leaf.parent_id


def test_me(api_as, people, tree, django_assert_num_queries):
    client = api_as(people.town_supervisor)
    units = [tree.community_a, tree.community_b, tree.grid_a1, tree.grid_b1, tree.company]
    roles = [Role.GRID_WORKER, Role.VOLUNTEER, Role.HANDLER]
    grants = [(u, r) for u in units for r in roles]
    for total in (5, 10):
        while people.town_supervisor.memberships.count() < total:
            unit, role = grants[people.town_supervisor.memberships.count()]
            services.membership_grant(user=people.town_supervisor, unit=unit, role=role)
        with django_assert_num_queries(4):
            body = client.get("/api/v1/me/").json()
        assert len(body["memberships"]) == total
