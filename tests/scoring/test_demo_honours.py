"""seed_demo names 星级社区工作者: a closed round per county, most approved, one rejected, with
an honour roll and certificates that print."""

import io

from pypdf import PdfReader

from scoring.honours_pdf import certificate_pdf
from scoring.models import Award, NominationRound
from scoring.selectors.honours import honour_roll


def test_each_county_names_its_workers_and_prints_the_roll(demo_data):
    assert "星级社区工作者 named" in demo_data.output
    rounds = list(NominationRound.objects.select_related("county"))
    assert len(rounds) == 3 and all(not r.is_open for r in rounds)
    for round_ in rounds:
        statuses = sorted(round_.nominations.values_list("status", flat=True))
        assert statuses.count("rejected") == 1 and statuses.count("approved") >= 3
        awards = honour_roll(county=round_.county, year=round_.year)
        assert [a.certificate_number for a in awards][:2] == [
            f"{round_.year}-001",
            f"{round_.year}-002",
        ]
    award = Award.objects.select_related("person", "county", "unit", "community").first()
    text = PdfReader(io.BytesIO(certificate_pdf(award=award))).pages[0].extract_text()
    assert award.person.get_full_name() in text and award.certificate_number in text
