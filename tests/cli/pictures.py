#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The DI charts and the report page of the cpw tool (ctest cli.pictures and docs.chart).

    python3 tests/cli/pictures.py CPW ROOT            the charts and the page
    python3 tests/cli/pictures.py CPW ROOT --doc      docs/di-in-care.svg is current
    python3 tests/cli/pictures.py CPW ROOT --update   rewrite docs/di-in-care.svg

On the demo's journal (`cpw demo --keep`): the SVG is valid XML with what a chart needs (a
title, its period and region, a legend, axes with units, a caption with the definition and
the source; ids unique, every url(#id) and aria reference defined); every number drawn (the
data-* attributes of bars, dots, lines and labels) equals `cpw report --format json` of the
same sub-period, and every bar's length is its value on the axis' scale; the page is
well-formed, self-contained (no script, no address), has each chart and table, equals the
demo's own page, and its caseload tables agree with the demo's printout. Standard library
only.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

SVG = "{http://www.w3.org/2000/svg}"
CHARTS = ["in-care", "share", "flows", "stay"]
# the words the checks look for, by language (examples/cpw/chart_text.c)
WORDS = {
    "en": {"period": "Period: ", "region": "Region: ", "definition": "Definition: ",
           "source": "Source: ", "policy": "Policy: georgia",
           "units": {"in-care": "children", "share": "% of children in care",
                     "flows": "placements", "stay": "days"},
           "title": "Children in alternative care, by type of care"},
    "ka": {"period": "პერიოდი: ", "region": "რეგიონი: ", "definition": "განმარტება: ",
           "source": "წყარო: ", "policy": "პოლიტიკა: georgia",
           "units": {"in-care": "ბავშვები", "share": "% ზრუნვაში მყოფი ბავშვებიდან",
                     "flows": "განთავსებები", "stay": "დღე"},
           "title": "ალტერნატიულ ზრუნვაში მყოფი ბავშვები, ზრუნვის სახის მიხედვით"},
}
DOC = os.path.join("docs", "di-in-care.svg")
YEAR = ("2025-01-01", "2025-12-31")
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
    return cond


def run(*args, code=0):
    r = subprocess.run(list(args), capture_output=True)
    if r.returncode != code:
        raise SystemExit("%s: exit %d, wanted %d\n%s" % (" ".join(map(os.fsdecode, args)), r.returncode, code,
                                                         r.stderr.decode(errors="replace")))
    return r.stdout


class Report:
    """`cpw report` on one journal, the JSON of each period asked once."""

    def __init__(self, cpw, journal):
        self.cpw, self.journal, self.cache = cpw, journal, {}

    def __call__(self, *args, code=0):
        return run(self.cpw, "report", "--journal", self.journal, *args, code=code)

    def json(self, a, z, region=None):
        key = (a, z, region)
        if key not in self.cache:
            extra = ["--region", region] if region else []
            self.cache[key] = json.loads(self("--from", a, "--to", z, "--format", "json",
                                              *extra))
        return self.cache[key]


def expected(j, el):
    """The JSON's number for what a mark says it shows."""
    ind, setting, reason = el.get("data-indicator"), el.get("data-setting"), \
        el.get("data-reason")
    if setting is None:
        return j[ind]
    s = j["settings"][setting]
    if ind == "entries":
        return s["entries"]
    if ind == "exits":
        return s["exits"][reason]
    if ind == "exits_total":
        return sum(s["exits"].values())
    raise AssertionError("unknown indicator " + ind)


def check_numbers(root, rep, where, region=None):
    """Every data-value equals the JSON; bars are as long as their values; labels show
    them. Returns the sub-periods seen."""
    parts = set()
    n = 0
    plots = {}
    for g in root.iter(SVG + "g"):
        if g.get("class") == "plot":
            for el in g.iter():
                plots[el] = g
    for el in root.iter():
        v = el.get("data-value")
        if v is None:
            continue
        n += 1
        a, z = el.get("data-from"), el.get("data-to")
        parts.add((a, z))
        want = expected(rep.json(a, z, region), el)
        got = float(v) if "." in v else int(v)
        check(got == want, "%s: %s %s %s..%s drawn as %s, the JSON says %s" % (
            where, el.get("data-indicator"), el.get("data-setting") or "", a, z, v, want))
        tag = el.tag.replace(SVG, "")
        if tag == "rect" and el in plots:
            g = plots[el]
            ppu = float(g.get("data-px-per-unit"))
            size = float(el.get("width" if g.get("data-direction") == "x" else "height"))
            check(abs(size - got * ppu) < 0.02, "%s: a bar of %s is %.2f long, not %.2f" % (
                where, v, size, got * ppu))
            if g.get("data-direction") != "x":  # columns stand on the baseline or on another
                bottom = float(el.get("y")) + size
                check(bottom <= float(g.get("data-baseline")) + 0.02,
                      "%s: a column goes below the axis" % where)
        if tag == "text":
            shown = "".join(el.itertext())
            forms = {v, "%.0f" % float(v), "%.0f%%" % (100 * float(v))}
            check(any(f in shown for f in forms), "%s: the label '%s' does not show %s" % (
                where, shown, v))
    check(n > 0, "%s: no number drawn" % where)
    return parts


def check_svg(root, where, lang="en"):
    """What every chart needs, in its language, and references that resolve."""
    words = WORDS[lang]
    ids = [el.get("id") for el in root.iter() if el.get("id")]
    check(len(ids) == len(set(ids)), "%s: duplicate ids" % where)
    ids = set(ids)
    for el in root.iter():
        for key, val in el.attrib.items():
            for ref in re.findall(r"url\(#([^)]+)\)", val):
                check(ref in ids, "%s: url(#%s) is not defined" % (where, ref))
            if key == "aria-labelledby":
                check(all(r in ids for r in val.split()), "%s: aria-labelledby" % where)
            check(not re.match(r"(?i)\s*(https?:|//|javascript:)", val) or key == "xmlns",
                  "%s: an address in an attribute: %s" % (where, val))
        check(el.tag.replace(SVG, "") not in ("script", "image", "foreignObject"),
              "%s: a %s element" % (where, el.tag))
    charts = [el for el in root.iter(SVG + "svg") if el.get("data-chart")]
    for c in charts:
        name = c.get("data-chart")
        w = "%s, chart %s" % (where, name)
        texts = [" ".join("".join(t.itertext()).split()) for t in c.iter(SVG + "text")]
        alltext = " ".join(texts)
        check(c.get("width") == "640" and c.get("viewBox", "").startswith("0 0 640 "),
              w + ": not 640 wide")
        check((c.findtext(SVG + "title") or "").strip() != "", w + ": no <title>")
        check((c.findtext(SVG + "desc") or "").startswith(words["definition"]),
              w + ": no <desc>")
        heading = [t for t in c.iter(SVG + "text") if t.get("id") == name + "-heading"]
        check(len(heading) == 1 and "".join(heading[0].itertext()) ==
              c.findtext(SVG + "title"), w + ": the heading is not the title")
        check(any(t.startswith(words["period"]) and words["region"] in t for t in texts),
              w + ": no period and region")
        legend = [g for g in c.iter(SVG + "g") if g.get("class") == "legend"]
        check(len(legend) == 1 and len(list(legend[0].iter(SVG + "text"))) >= 1,
              w + ": no legend")
        check(any(g.get("class") in ("x-axis", "y-axis") for g in c.iter(SVG + "g")),
              w + ": no axis")
        units = words["units"][name]
        check(units in texts, w + ": no unit '%s' on an axis" % units)
        check(words["definition"] in alltext and words["source"] in alltext and
              words["policy"] in alltext, w + ": the caption lacks the definition or source")
        for t in c.iter(SVG + "text"):  # nothing drawn off the chart
            check(0 <= float(t.get("y")) <= float(c.get("height")), w + ": text off the chart")
    return charts


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    cpw, root_dir = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    mode = sys.argv[3] if len(sys.argv) > 3 else ""
    tmp = tempfile.mkdtemp(prefix="cpw-pictures-")
    try:
        demo_dir = os.path.join(tmp, "demo")
        demo_out = run(cpw, "demo", "--keep", demo_dir).decode()
        journal = os.path.join(demo_dir, "referrals.journal")
        rep = Report(cpw, journal)
        one = rep("--from", YEAR[0], "--to", YEAR[1], "--format", "svg", "--chart", "in-care")
        doc = os.path.join(root_dir, DOC)
        if mode == "--update":
            with open(doc, "wb") as f:
                f.write(one)
            print("wrote " + DOC)
            return 0
        if mode == "--doc":
            with open(doc, "rb") as f:
                if f.read() != one:
                    print("%s is out of date: python3 tests/cli/pictures.py %s %s --update "
                          "writes it again (the README's commands make the same file)"
                          % (DOC, sys.argv[1], sys.argv[2]))
                    return 1
            print(DOC + " is current")
            return 0
        pictures(cpw, rep, demo_dir, demo_out, tmp)
    finally:
        shutil.rmtree(tmp)
    for f in failures[:40]:
        print("FAIL: " + f)
    print("%d failed" % len(failures) if failures else "pictures: all checks passed")
    return 1 if failures else 0


def pictures(cpw, rep, demo_dir, demo_out, tmp):
    journal = rep.journal
    # every chart in one document, and each alone
    whole = ET.fromstring(rep("--from", YEAR[0], "--to", YEAR[1], "--format", "svg"))
    check(whole.tag == SVG + "svg", "the document is not an SVG")
    charts = check_svg(whole, "svg")
    check([c.get("data-chart") for c in charts] == CHARTS, "not the four charts, in order")
    parts = check_numbers(whole, rep, "svg")
    months = sorted(p for p in parts if p != YEAR)
    check(len(months) == 12 and months[0] == ("2025-01-01", "2025-01-31") and
          months[-1] == ("2025-12-01", "2025-12-31"), "not the 12 months: %s" % months)
    year = rep.json(*YEAR)
    by_month = {m["date"]: m["residential"] for m in year["residential_by_month"]}
    for a, z in months:  # the months' own indicators agree with the year's monthly series
        check(rep.json(a, z)["residential_at_end"] == by_month[z], "residential at " + z)
    for name in CHARTS:
        alone = ET.fromstring(rep("--from", YEAR[0], "--to", YEAR[1], "--format", "svg",
                                  "--chart", name))
        check(alone.get("data-chart") == name, "--chart " + name)
        check_svg(alone, "--chart " + name)
    drawn = [el for el in whole.iter() if el.get("data-value") is not None]
    count = lambda chart, ind: sum(1 for c in charts if c.get("data-chart") == chart
                                   for el in c.iter() if el.get("data-indicator") == ind and
                                   el.tag == SVG + "rect")
    check(count("in-care", "residential_at_end") == 12 and
          count("in-care", "family_at_end") == 12, "a column per month and category")
    active = [s for s, v in year["settings"].items()
              if v["entries"] or sum(v["exits"].values())]
    check(count("flows", "entries") == len(active), "an entries bar per active setting")
    check(len(drawn) > 100, "only %d numbers drawn" % len(drawn))

    # longer periods are drawn by year, shorter ones up to their last day; one region
    for a, z, n in (("2022-01-01", "2025-12-31", 4), ("2025-03-10", "2025-04-20", 2)):
        doc = ET.fromstring(rep("--from", a, "--to", z, "--format", "svg"))
        check_svg(doc, "svg %s..%s" % (a, z))
        p = check_numbers(doc, rep, "svg %s..%s" % (a, z))
        check(len(p - {(a, z)}) == n, "%s..%s: %d sub-periods, not %d" % (a, z, len(p) - 1, n))
    doc = ET.fromstring(rep("--from", YEAR[0], "--to", YEAR[1], "--format", "svg",
                            "--region", "tbilisi"))
    check_numbers(doc, rep, "svg Tbilisi", region="Tbilisi")
    check("Region: Tbilisi" in "".join(doc.itertext()), "the region is not named")

    # text is escaped and valid UTF-8 whatever the journal's name
    odd = os.fsencode(tmp) + b"/a&b<c>\"'\xe1\x83\xa5 \xff.journal"  # not UTF-8
    shutil.copy(journal, odd)
    raw = run(cpw, "report", "--journal", odd, "--from", YEAR[0], "--to", YEAR[1],
              "--format", "svg")
    raw.decode("utf-8")  # raises if not UTF-8
    src = "".join(ET.fromstring(raw).itertext())
    check("a&b<c>\"'\u10e5 \ufffd.journal" in src, "the journal's name, escaped")
    page = run(cpw, "report", "--journal", odd, "--from", YEAR[0], "--to", YEAR[1],
               "--format", "html")
    ET.fromstring(page)

    # bad command lines
    rep("--from", YEAR[0], "--to", YEAR[1], "--chart", "in-care", code=2)
    rep("--from", YEAR[0], "--to", YEAR[1], "--format", "svg", "--chart", "pie", code=2)

    # the page: well-formed (XHTML-compatible), self-contained, every chart and table
    html = rep("--from", YEAR[0], "--to", YEAR[1], "--format", "html")
    with open(os.path.join(demo_dir, "report.html"), "rb") as f:
        check(f.read() == html, "the demo's page differs from cpw report --format html")
    check("report.html" in demo_out, "the demo does not name its page")
    check(html.startswith(b"<!DOCTYPE html>\n"), "no doctype")
    doc = ET.fromstring(html.replace(b"<!DOCTYPE html>\n", b""))
    check_svg(doc, "page")
    check_numbers(doc, rep, "page")
    for el in doc.iter():
        tag = el.tag.split("}")[-1]
        check(tag not in ("script", "link", "img", "iframe", "object", "embed"),
              "page: a <%s>" % tag)
        for key, val in el.attrib.items():
            check(not (key in ("src", "href") or re.match(r"(?i)\s*https?:", val)) or
                  key == "xmlns", "page: %s=%s" % (key, val))
    ids = {el.get("id"): el for el in doc.iter() if el.get("id")}
    for name in CHARTS:
        check("chart-" + name in ids and "table-" + name in ids, "page: chart or table " + name)
        rows = ids.get("table-" + name)
        check(rows is not None and len(list(rows.iter("tr"))) > 2, "page: table " + name)
    for t in ("cases-by-state", "overdue-by-age", "days-to-assessment", "policy-hash"):
        check(t in ids, "page: no #" + t)
    text = lambda el: " ".join("".join(el.itertext()).split())
    check(re.fullmatch(r"[0-9a-f]{64}", text(ids["policy-hash"])) is not None, "policy hash")
    check(text(ids["policy-name"]) == "georgia", "policy name")
    replay = run(cpw, "journal", "replay", journal).decode()
    check(text(ids["policy-hash"])[:16] in replay, "the policy hash is the replay's")

    # the caseload tables say what the demo printed for the same year
    cells = lambda t: [[text(c) for c in tr] for tr in ids[t].iter("tr")][1:]
    states = {th.get("data-state"): int(text(tr[2])) for tr in ids["cases-by-state"].iter("tr")
              for th in tr[1:2] if th.get("data-state")}
    printed = dict(re.findall(r"^  (\w+) +(\d+)$", demo_out.split("Cases by state")[1]
                              .split("Overdue")[0], re.M))
    check(states == {k: int(v) for k, v in printed.items()}, "cases by state: %s, the demo "
          "printed %s" % (states, printed))
    for line in replay.splitlines():  # and what replaying the whole journal gives
        m = re.match(r"  referral +(\w+) +(\d+)$", line)
        if m:
            check(states.get(m.group(1)) == int(m.group(2)), "replay: " + line)
    overdue = cells("overdue-by-age")
    m = re.search(r"Overdue deadlines at the end of the year: (\d+)", demo_out)
    check(int(overdue[-1][1]) == int(m.group(1)) and
          sum(int(r[1]) for r in overdue[:-1]) == int(m.group(1)), "overdue: %s" % overdue)
    assess = {r[0]: r[1] for r in cells("days-to-assessment")}
    m = re.search(r"Assessments started: (\d+); ([0-9.]+)% within .* median ([0-9.]+) calendar",
                  demo_out)
    check(assess["assessments started"] == m.group(1) and
          assess["started on time"].endswith("(%s%%)" % m.group(2)) and
          assess["median days after the notification"] == m.group(3),
          "days to assessment: %s, the demo printed %s" % (assess, m.groups()))
    check(sum(int(v) for k, v in assess.items() if k[0].isdigit() or k.startswith("less"))
          == int(m.group(1)), "days to assessment: the rows add up")

    # in Georgian (--lang ka): the same numbers, Georgian words, dates and labels
    doc = ET.fromstring(rep("--from", YEAR[0], "--to", YEAR[1], "--format", "svg",
                            "--lang", "ka"))
    charts = check_svg(doc, "svg ka", lang="ka")
    check(len(charts) == 4, "svg ka: four charts")
    check_numbers(doc, rep, "svg ka")
    alltext = " ".join(" ".join(t.itertext()) for t in doc.iter(SVG + "text"))
    check("2025 წლის 1 იანვარი \u2014 2025 წლის 31 დეკემბერი" in alltext, "svg ka: the period")
    check("მინდობით აღზრდა" in alltext, "svg ka: the settings' Georgian labels")
    for word in ("Period", "Definition", "children", "end of month", "entries"):
        check(word not in alltext, "svg ka: an English word: " + word)
    ka_dir = os.path.join(tmp, "demo-ka")
    run(cpw, "demo", "--keep", ka_dir, "--lang", "ka")
    page = rep("--from", YEAR[0], "--to", YEAR[1], "--format", "html", "--lang", "ka")
    with open(os.path.join(ka_dir, "report.html"), "rb") as f:
        check(f.read().replace(b"demo-ka", b"demo") == page,
              "the Georgian demo's page differs from cpw report --lang ka --format html")
    doc = ET.fromstring(page.replace(b"<!DOCTYPE html>\n", b""))
    check(doc.get("lang") == "ka", "page ka: lang")
    check_svg(doc, "page ka", lang="ka")
    check_numbers(doc, rep, "page ka")
    body = " ".join("".join(doc.itertext()).split())
    check("შემთხვევები ეტაპების მიხედვით" in body and "მონიტორინგი" in body,
          "page ka: the caseload in Georgian")


if __name__ == "__main__":
    sys.exit(main())
