# SPDX-License-Identifier: Apache-2.0
"""examples/dask_eligibility.py: a Dask DataFrame evaluated partition by partition on a
LocalCluster of two worker processes gives, row for row, what one evaluate_many call gives
in this process. 200,000 rows by default; CPW_DASK_ROWS=2000000 for the large run. Skipped
when Dask is not installed (Debian: python3-dask python3-distributed; `sh tests/run.sh deps`
installs them)."""
import os
import sys

import pytest

import cpw

pytest.importorskip("numpy", reason="numpy is not installed (Debian: python3-numpy)")
pd = pytest.importorskip("pandas", reason="pandas is not installed (Debian: python3-pandas)")
pytest.importorskip("dask.dataframe", reason="Dask is not installed (Debian: python3-dask)")
pytest.importorskip("distributed",
                    reason="Dask's distributed is not installed (Debian: python3-distributed)")

PKG_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLES = os.path.join(PKG_ROOT, "examples")
sys.path.insert(0, EXAMPLES)
import dask_eligibility as de  # noqa: E402

ROWS = int(os.environ.get("CPW_DASK_ROWS", "200000"))
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:tornado")

SRC = """
field age: int
field income: money
field born: date
field registered: bool
field city: enum(Tbilisi, Rustavi, Kutaisi, Batumi, Zugdidi, Gori, Telavi, Poti)
field level: enum(none, moderate, severe, profound)

program p "P" {
  eligible when registered and income <= 2000 GEL
    and (age(born) < 18 or level in {severe, profound})
    and city != Poti and age < 100000
}
"""


@pytest.fixture
def workers_env(monkeypatch):
    """The worker processes import cpw and the example from these paths (they are
    started afresh: sys.path is not inherited); CPW_LIBRARY is in the environment."""
    path = [PKG_ROOT, EXAMPLES] + [p for p in os.environ.get("PYTHONPATH", "").split(
        os.pathsep) if p]
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(path))
    monkeypatch.setenv("CPW_LIBRARY", os.environ.get("CPW_LIBRARY") or cpw.LIBRARY_PATH)


def test_two_workers_equal_one_process(workers_env):
    pol = cpw.Policy.from_string(SRC, name="dask.cpw")
    specs = de.field_specs(pol, "p")
    per = max(1, ROWS // 8)
    client, lc = de.cluster(2)
    try:
        assert len(client.scheduler_info()["workers"]) == 2
        ddf = de.people(specs, ROWS, per)
        assert ddf.npartitions == de.partitions_of(ROWS, per) == 8
        result = de.outcomes(client, pol, "p", ddf, "2025-12-31")
        got = result["outcome"].compute()
        # the policy reached each worker once, compiled there under the same hash
        hashes = client.run(lambda: sorted(cpw.policy._UNPICKLED))
        assert all(pol.hash in h for h in hashes.values()), hashes
    finally:
        client.close()
        lc.close()
    want, _ = de.single_process(pol, "p", specs, ROWS, per, "2025-12-31")
    assert len(got) == ROWS
    pd.testing.assert_series_equal(got, want["outcome"])
    n = got.value_counts()
    assert n["eligible"] > ROWS // 100 and n["not_eligible"] > ROWS // 100


def test_the_script_checks_itself(workers_env, capsys, repo):
    rules = os.path.join(repo, "tests", "bench", "peer_rules.cpw")
    rc = de.main(["--rows", "40000", "--rows-per-partition", "10000", "--workers", "2",
                  "--policy", rules, "--program", "priority_child_support", "--check"])
    out = capsys.readouterr().out
    assert rc == 0, out
    assert "priority_child_support over 40,000 rows in 4 partitions on 2 local workers" in out
    assert "single process: the same" in out
