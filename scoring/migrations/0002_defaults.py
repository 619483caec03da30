"""Default indicator categories, point rules, star thresholds and policy.

The data is written out here rather than imported, so the migration means the same thing
whatever the code says later. Admins change all of it in the admin site.
"""

from decimal import Decimal

from django.db import migrations

# (code, name, English name, cap, floor, common)
INDICATORS = [
    ("serving_residents", "服务群众", "Serving residents", "30", "-15", True),
    ("grassroots_governance", "基层治理", "Grassroots governance", "20", None, True),
    ("policy_publicity", "政策宣传", "Policy publicity", "10", None, True),
    ("party_services", "党务服务", "Party services", "15", None, True),
    ("government_services", "政务服务", "Government services", "10", None, True),
    ("dispute_mediation", "矛盾纠纷调解", "Dispute mediation", "10", None, True),
    ("volunteer_service", "志愿服务", "Volunteer service", "15", None, True),
    ("dual_registration", "双报到", "Dual registration", "10", None, True),
    ("organisational_life", "组织生活", "Organisational life", "10", None, True),
    ("individual_requests", "居民个性化服务诉求", "Residents' own requests", "40", "-20", False),
]

# (source, indicator code, points)
RULES = [
    ("case_opened", "individual_requests", "1"),
    ("case_accepted_on_time", "individual_requests", "0.5"),
    ("case_accepted_late", "individual_requests", "-0.5"),
    ("case_resolved_on_time", "individual_requests", "2"),
    ("case_resolved_late", "individual_requests", "0.5"),
    ("case_overdue", "individual_requests", "-1"),
    ("case_reopened", "individual_requests", "-2"),
    ("case_returned_wrongly", "grassroots_governance", "-1"),
    ("feedback_satisfied", "serving_residents", "1"),
    ("feedback_basically_satisfied", "serving_residents", "0.5"),
    ("feedback_unsatisfied", "serving_residents", "-2"),
    ("feedback_visit", "serving_residents", "0.5"),
    ("consultation_decision", "grassroots_governance", "2"),
    ("answered_on_spot", "serving_residents", "0.5"),
    ("service_card_routine", "party_services", "0.5"),
    ("service_card_special", "serving_residents", "1"),
    ("service_card_key", "grassroots_governance", "2"),
    ("commitment_kept", "policy_publicity", "3"),
    ("commitment_broken", "policy_publicity", "-3"),
    ("dual_service_hours", "dual_registration", "0.5"),
    ("volunteer_participation", "volunteer_service", "1"),
    ("volunteer_organised", "volunteer_service", "2"),
    ("volunteer_people_served", "volunteer_service", "0.05"),
    ("evaluation_excellent", "organisational_life", "10"),
    ("evaluation_good", "organisational_life", "6"),
    ("evaluation_fair", "organisational_life", "2"),
    ("evaluation_poor", "organisational_life", "-5"),
    ("unit_response_rate", "individual_requests", "0.1"),
    ("unit_resolution_rate", "individual_requests", "0.1"),
    ("unit_satisfaction_rate", "serving_residents", "0.1"),
]

# (subject, stars, top share in percent)
STARS = [
    ("person", 5, "5"),
    ("person", 4, "15"),
    ("person", 3, "30"),
    ("person", 2, "50"),
    ("person", 1, "75"),
    ("community", 5, "10"),
    ("community", 4, "25"),
    ("community", 3, "50"),
    ("community", 2, "75"),
    ("community", 1, "90"),
]


def add_defaults(apps, schema_editor):
    Indicator = apps.get_model("scoring", "Indicator")
    PointRule = apps.get_model("scoring", "PointRule")
    StarThreshold = apps.get_model("scoring", "StarThreshold")
    ScoringPolicy = apps.get_model("scoring", "ScoringPolicy")
    indicators = {}
    for order, (code, name, name_en, cap, floor, common) in enumerate(INDICATORS):
        indicators[code] = Indicator.objects.create(
            code=code,
            name=name,
            name_en=name_en,
            cap=Decimal(cap) if cap else None,
            floor=Decimal(floor) if floor else None,
            is_common=common,
            sort_order=order,
        )
    for source, code, points in RULES:
        PointRule.objects.create(source=source, indicator=indicators[code], points=Decimal(points))
    for subject, stars, value in STARS:
        StarThreshold.objects.create(subject=subject, stars=stars, value=Decimal(value))
    ScoringPolicy.objects.create(
        pk=1,
        ranked_roles=["grid_worker", "minqing_secretary", "supervisor"],
        person_star_basis="percentile",
        community_star_basis="percentile",
        community_worker_weight=Decimal(1),
        interview_lowest_count=2,
        interview_person_below=Decimal(0),
        interview_community_below=Decimal(30),
    )


def remove_defaults(apps, schema_editor):
    for name in ("ScoringPolicy", "StarThreshold", "PointRule", "Indicator"):
        apps.get_model("scoring", name).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("scoring", "0001_initial")]

    operations = [migrations.RunPython(add_defaults, remove_defaults)]
