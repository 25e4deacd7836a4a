# SPDX-License-Identifier: Apache-2.0
"""Placements: the registry, gatekeeping, reviews, leaving care and DI indicators."""
import datetime as dt
import json

import pytest

import cpw

SW = dict(actor="sw-1", role="social_worker")


@pytest.fixture
def reg(policy):
    return policy.registry()


def test_exit_reasons():
    assert cpw.EXIT_REASONS == ("reunified", "kinship", "fostered", "adopted", "moved",
                                "aged_out", "died", "other")


def test_place_move_end(reg):
    reg.add_child("CH-1", "2015-05-01")
    assert reg.current("CH-1") is None
    warnings = reg.place("CH-1", "2020-01-10", setting="foster_care", region="Tbilisi",
                         reason="care plan", **SW)
    assert warnings == ""
    p = reg.current("CH-1")
    assert p == cpw.Placement("CH-1", "foster_care", None, "Tbilisi", "family",
                              dt.date(2020, 1, 10), dt.date(2020, 4, 10), dt.date(2033, 5, 1))
    reg.move("CH-1", "2020-06-01", setting="small_group_home", region="Tbilisi", **SW)
    p = reg.current("CH-1")
    assert p.setting == "small_group_home" and p.category == "family_type"
    assert p.start == dt.date(2020, 6, 1)
    assert reg.episode_count == 2
    reg.end("CH-1", "2021-01-01", "reunified", **SW)
    assert reg.current("CH-1") is None
    with pytest.raises(cpw.StateError):
        reg.end("CH-1", "2021-02-01", **SW)


def test_facilities_and_occupancy(reg):
    assert reg.occupancy("tbilisi_infant_house") == 0  # the policy's facilities are there
    reg.add_facility("gh-1", "small_group_home", name="Group home 1", region="Kutaisi",
                     capacity=1)
    with pytest.raises(cpw.AlreadyExists):
        reg.add_facility("gh-1", "small_group_home")
    with pytest.raises(cpw.NotFound):
        reg.add_facility("x", "no_such_setting")
    reg.add_child("A", "2012-01-01")
    reg.add_child("B", "2012-01-01")
    reg.place("A", "2020-01-01", facility="gh-1", **SW)
    assert reg.occupancy("gh-1") == 1
    assert reg.current("A").region == "Kutaisi" and reg.current("A").facility == "gh-1"
    with pytest.raises(cpw.PlacementDenied) as e:
        reg.place("B", "2020-01-01", facility="gh-1", **SW)
    assert "full" in e.value.explanation
    with pytest.raises(cpw.NotFound):
        reg.occupancy("nowhere")


def test_gatekeeping_denial(reg):
    reg.add_child("baby", "2019-06-01")
    with pytest.raises(cpw.PlacementDenied) as e:
        reg.place("baby", "2020-01-01", facility="tbilisi_infant_house", **SW)
    err = e.value
    assert "UN Guidelines para. 22" in err.explanation
    assert err.code == cpw._lib.CPW_EDENIED and isinstance(err, cpw.Denied)
    assert reg.current("baby") is None  # nothing changed
    assert reg.explanation == err.explanation
    # an emergency is allowed
    reg.place("baby", "2020-01-01", facility="tbilisi_infant_house", emergency=True, **SW)
    assert reg.current("baby").category == "residential"


def test_options_in_preference_order(reg):
    reg.add_child("baby", "2019-06-01")
    opts = reg.options("baby", "2020-01-01")
    assert opts[:3] == ["biological_family", "kinship", "foster_care"]
    assert "infant_home" not in opts
    assert "infant_home" in reg.options("baby", "2020-01-01", emergency=True)
    with pytest.raises(cpw.NotFound):
        reg.options("ghost", "2020-01-01")


def test_sibling_warning(reg):
    reg.add_child("s1", "2012-01-01", sibling_group="fam")
    reg.add_child("s2", "2013-01-01", sibling_group="fam")
    assert reg.place("s1", "2020-01-01", setting="foster_care", region="Tbilisi", **SW) == ""
    warn = reg.place("s2", "2020-01-01", setting="kinship", region="Tbilisi", **SW)
    assert "siblings" in warn and reg.explanation == warn


def test_reviews_and_aging_out(reg):
    reg.add_child("old", "2003-03-01")
    reg.add_child("young", "2015-01-01")
    reg.place("old", "2020-01-01", setting="kinship", region="Tbilisi", **SW)
    reg.place("young", "2020-02-01", setting="kinship", region="Tbilisi", **SW)
    due = reg.reviews_due("2020-04-15")
    assert [p.child for p in due] == ["old"]
    assert [p.child for p in reg.reviews_due("2020-06-01")] == ["old", "young"]
    reg.review("old", "2020-04-01", **SW)
    assert reg.current("old").review_due == dt.date(2020, 7, 1)
    assert [p.child for p in reg.aging_out("2021-12-31")] == ["old"]
    assert reg.current("old").turns_adult == dt.date(2021, 3, 1)
    assert reg.aging_out("2020-12-31") == []


def test_errors(reg):
    reg.add_child("c", "2010-01-01")
    with pytest.raises(cpw.AlreadyExists):
        reg.add_child("c", "2010-01-01")
    with pytest.raises(cpw.NotFound):
        reg.place("ghost", "2020-01-01", setting="kinship", **SW)
    with pytest.raises(cpw.NotFound):
        reg.current("ghost")
    reg.place("c", "2020-01-01", setting="kinship", region="Tbilisi", **SW)
    with pytest.raises(cpw.StateError):
        reg.place("c", "2020-02-01", setting="kinship", region="Tbilisi", **SW)
    with pytest.raises(cpw.InvalidInput):
        reg.end("c", "2019-01-01", "reunified", **SW)  # before the placement started
    with pytest.raises(cpw.InvalidInput):
        reg.end("c", "2021-01-01", "vanished", **SW)
    with pytest.raises(TypeError):
        reg.end("c", "2021-01-01", 3.5, **SW)
    reg.end("c", "2021-01-01", 3, **SW)  # by number: adopted
    with pytest.raises(TypeError):
        cpw.Registry("policy")


def test_existing_placement_skips_gatekeeping(reg):
    reg.add_child("baby", "2019-06-01")
    reg.place("baby", "2019-12-01", facility="tbilisi_infant_house", existing=True, **SW)
    assert reg.current("baby").facility == "tbilisi_infant_house"


def test_registry_without_settings(test_policy):
    with pytest.raises(cpw.InvalidInput):
        test_policy.registry()


def seed_registry(reg):
    """The deinstitutionalization figures of the seed documents (see
    examples/placements_seed.c)."""
    def child(n, birth):
        reg.add_child("CH-%03d" % n, birth)

    def place(n, facility, setting, date, existing=False, emergency=False):
        reg.place("CH-%03d" % n, date, facility=facility, setting=setting, region="Tbilisi",
                  existing=existing, emergency=emergency, **SW)

    for n in range(1, 74):
        child(n, "2014-03-01" if n <= 18 else "2016-06-15" if n <= 50 else "2017-02-10")
        place(n, "tbilisi_infant_house", None, "2017-12-31", existing=True)
    for n in range(101, 129):
        child(n, "2002-05-20" if n <= 104 else "2006-09-01")
        place(n, "kojori", None, "2017-12-31", existing=True)
    for n in range(1, 9):
        reg.end("CH-%03d" % n, "2018-05-14", "fostered", **SW)
        place(n, None, "foster_care", "2018-05-14")
    for n in range(9, 12):
        reg.end("CH-%03d" % n, "2018-09-03", "adopted", **SW)
    for n in range(12, 19):
        reg.move("CH-%03d" % n, "2018-11-20", setting="small_group_home", region="Tbilisi",
                 **SW)
    for n in range(101, 105):
        reg.end("CH-%03d" % n, "2020-05-20", "aged_out", **SW)
    for n in range(19, 21):
        reg.end("CH-%03d" % n, "2020-10-01", "fostered", **SW)
        place(n, None, "foster_care", "2020-10-01")
    child(200, "2020-08-30")
    place(200, "tbilisi_infant_house", None, "2020-09-12", emergency=True)


def test_indicators_reproduce_the_seed_figures(policy, tmp_path):
    path = str(tmp_path / "seed.journal")
    with cpw.Journal.open(path, policy=policy, group_commit=500) as j:
        seed_registry(j.registry)
        j.commit()
        reg = j.replay_registry()
    ind = reg.indicators("2018-01-01", "2018-12-31")
    ex = ind.exits_by_setting["infant_home"]
    assert (ex["fostered"], ex["adopted"], ex["moved"]) == (8, 3, 7)
    ind = reg.indicators(dt.date(2019, 1, 1), dt.date(2019, 12, 31))
    assert ind.residential_at_end == 83
    assert ind.at_end["infant_home"] == 55 and ind.at_end["institution"] == 28
    ind = reg.indicators("2020-01-01", "2020-12-31")
    assert ind.residential_at_end == 78
    assert ind.exits_by_setting["institution"]["aged_out"] == 4
    assert ind.exits_by_setting["infant_home"]["fostered"] == 2
    assert reg.occupancy("tbilisi_infant_house") == 54 and reg.occupancy("kojori") == 24


def test_indicators_object(reg):
    seed_registry(reg)
    ind = reg.indicators("2018-01-01", "2018-12-31")
    assert ind.start == dt.date(2018, 1, 1) and ind.end == dt.date(2018, 12, 31)
    s = ind.summary
    assert s["placed_at_end"] == ind.placed_at_end == \
        ind.family_at_end + ind.family_type_at_end + ind.residential_at_end
    assert 0 < ind.family_share < 1
    assert ind.entries == sum(ind.entries_by_setting.values())
    assert ind.moves == 7 and ind.exits >= 18
    assert ind.children > 0 and ind.moves_per_child > 0 and ind.median_stay_days > 0
    series = ind.series
    assert len(series) == 12 and series[-1][0] == dt.date(2018, 12, 31)
    assert series[0][1] >= series[-1][1] == ind.residential_at_end
    table = ind.table()
    assert "Deinstitutionalization indicators, 2018-01-01 to 2018-12-31" in table
    csv = ind.csv()
    assert csv.splitlines()[0].startswith("indicator,") and "," in csv
    data = json.loads(ind.json())
    assert ind.to_dict() == data
    assert "2018-01-01" in repr(ind)
    tb = reg.indicators("2018-01-01", "2018-12-31", region="Tbilisi")
    assert tb.placed_at_end == ind.placed_at_end and tb.region == "Tbilisi"
    assert reg.indicators("2018-01-01", "2018-12-31", region="Batumi").placed_at_end == 0
    with pytest.raises(cpw.InvalidInput):
        reg.indicators("2019-01-01", "2018-01-01")


def test_specialised_home_reads_the_disability(reg, tmp_path):
    """The specialised home is for severe and profound disability; the denial names its
    rule's basis, and a journal keeps what gatekeeping was told."""
    assert cpw.placement.DISABILITY_LEVELS == ("none", "moderate", "severe", "profound")
    reg.add_child("D1", "2015-03-01")
    where = dict(setting="specialised_group_home", region="Tbilisi", **SW)
    with pytest.raises(cpw.PlacementDenied) as e:
        reg.place("D1", "2026-05-01", disability="moderate", **where)
    assert "severe or profound" in e.value.explanation
    assert "[basis: proposal, not confirmed" in e.value.explanation
    with pytest.raises(cpw.PlacementDenied) as e:
        reg.place("D1", "2026-05-01", **where)
    assert "could not be checked" in e.value.explanation
    with pytest.raises(cpw.InvalidInput):
        reg.place("D1", "2026-05-01", disability="very", **where)
    with pytest.raises(cpw.InvalidInput):
        reg.options("D1", "2026-05-01", disability="very")
    assert "specialised_group_home" not in reg.options("D1", "2026-05-01")
    assert "specialised_group_home" in reg.options("D1", "2026-05-01", disability="severe")
    reg.place("D1", "2026-05-01", disability="severe", **where)
    assert reg.current("D1").setting == "specialised_group_home"
