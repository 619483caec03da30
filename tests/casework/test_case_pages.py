"""Case pages: queues, my cases, the case page with only the actions allowed, scope."""

from django.urls import reverse

from casework.models import Case


def test_the_queues_page_counts_each_queue(client_as, open_case, drive, people):
    open_case(title="新案件")
    drive(open_case(title="已打开"), "reopened")
    page = client_as(people.supervisor_a).get(reverse("case-queues")).content.decode()
    assert 'data-queue="new">1<' in page
    assert 'data-queue="reopened">1<' in page
    assert "新案件" in page


def test_my_cases_lists_what_is_assigned_to_the_handler(client_as, open_case, drive, people):
    drive(open_case(title="电梯"), "assigned")
    open_case(title="未派单")
    page = client_as(people.handler_company).get(reverse("case-mine")).content.decode()
    assert "电梯" in page and "未派单" not in page


def test_my_cases_lists_a_co_handlers_open_part_until_it_is_reported(
    client_as, open_case, people, tree
):
    from casework import services

    case = services.case_assign(
        case=open_case(title="积水"),
        actor=people.supervisor_a,
        unit=tree.company,
        co_handlers=[tree.department],
    )
    page = client_as(people.handler_department)
    assert "积水" in page.get(reverse("case-mine")).content.decode()
    services.co_handling_report(case=case, actor=people.handler_department, opinion="已疏通")
    assert "积水" not in page.get(reverse("case-mine")).content.decode()


def test_the_parked_queue_lists_parked_cases_with_their_review_date(
    client_as, open_case, drive, people
):
    case = drive(open_case(title="改造"), "parked")
    page = client_as(people.supervisor_a).get(reverse("case-queues"), {"queue": "parked"})
    html = page.content.decode()
    assert 'data-queue="parked">1<' in html
    assert "改造" in html and case.review_on.isoformat() in html


def test_the_case_page_offers_only_the_allowed_actions(client_as, open_case, drive, people):
    case = drive(open_case(), "assigned")
    page = (
        client_as(people.handler_company)
        .get(reverse("case-detail", args=[case.pk]))
        .content.decode()
    )
    assert reverse("case-act", args=[case.pk, "accept"]) in page
    assert reverse("case-act", args=[case.pk, "return"]) in page
    assert reverse("case-act", args=[case.pk, "assign"]) not in page
    page = (
        client_as(people.supervisor_a).get(reverse("case-detail", args=[case.pk])).content.decode()
    )
    assert reverse("case-act", args=[case.pk, "accept"]) not in page
    assert reverse("case-act", args=[case.pk, "cancel"]) in page


def test_acting_through_the_page_moves_the_case(client_as, open_case, drive, people):
    case = drive(open_case(), "assigned")
    client = client_as(people.handler_company)
    response = client.post(
        reverse("case-act", args=[case.pk, "accept"]), {"version": case.version}
    )
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).state == "in_progress"


def test_a_stale_page_shows_an_error_and_writes_nothing(client_as, open_case, drive, people):
    case = drive(open_case(), "assigned")
    client = client_as(people.handler_company)
    client.post(reverse("case-act", args=[case.pk, "accept"]), {"version": 1}, follow=True)
    assert Case.objects.get(pk=case.pk).state == "assigned"


def test_a_missing_reason_redisplays_the_form(client_as, open_case, people):
    case = open_case()
    response = client_as(people.supervisor_a).post(
        reverse("case-act", args=[case.pk, "cancel"]), {"version": 1}
    )
    assert response.status_code == 400
    assert Case.objects.get(pk=case.pk).state == "new"


def test_a_case_in_another_grid_is_404(client_as, open_case, people):
    case = open_case()
    client = client_as(people.grid_b1)
    assert client.get(reverse("case-detail", args=[case.pk])).status_code == 404
    assert (
        client.post(reverse("case-act", args=[case.pk, "cancel"]), {"reason": "x"}).status_code
        == 404
    )


def test_the_case_page_shows_the_timeline(client_as, open_case, drive, people):
    case = drive(open_case(), "in_progress")
    page = client_as(people.grid_a1).get(reverse("case-detail", args=[case.pk])).content.decode()
    assert page.count('class="event event-') == 3
