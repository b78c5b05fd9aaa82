"""Many plans on a Dask cluster (`--scheduler`): the same outputs, byte for byte, as the local process pool, the
same one-line reasons for the plans that fail, the same portfolio; the outputs written here, never on a worker.

One small `LocalCluster` (two worker processes, one thread each, no dashboard, on 127.0.0.1) serves the module
and is closed at its end, its processes gone."""
import contextlib
import dataclasses
import json
import os
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import AS_OF, harbor_data
from workbooks import write_plan

try:
    import dask
    import distributed
except ImportError:                  # CI has the extra (`make install`); elsewhere it is optional
    if os.environ.get("CI"):
        raise
    pytest.skip('dask is not installed: pip install "accountplan[dask]"', allow_module_level=True)

import psutil

from generator import cluster, templates_dir
from generator.batch import CRASHED, PlanOutcome, build_many, find_plans
from generator.cli import main
from generator.kit import default_kit, load_kit
from generator.portfolio import collect, roll_up, to_json


def named(name: str, target: float, currency: str = "USD", data: dict | None = None) -> dict:
    data = data or harbor_data()
    data["fields"].update(account_name=name, annual_target=target, currency=currency)
    return data


def with_errors(name: str) -> dict:
    data = named(name, 1_000_000)
    data["lists"]["Opportunities"][0]["Stage"] = "Won"              # not a stage: an error
    return data


BLOCKED = "orion-retail-gmbh"       # an output of this account is already there, not written by accountplan


@pytest.fixture(scope="module")
def plans(tmp_path_factory) -> Path:
    """A good plan, one in EUR in a subfolder, one with errors, one whose output folder holds a file of ours'
    name that we did not write, and a text file named .xlsx."""
    root = tmp_path_factory.mktemp("cluster") / "plans"
    (root / "east").mkdir(parents=True)
    write_plan(harbor_data(), root / "harbor.xlsx")
    write_plan(named("Orion Retail GmbH", 1_500_000, "EUR"), root / "east" / "orion.xlsx")
    write_plan(with_errors("Blue Fjord Energy"), root / "blue-fjord.xlsx")
    (root / "notes.xlsx").write_text("account notes, not a workbook", encoding="utf-8")
    return root


def children() -> dict[int, psutil.Process]:
    """This process's processes, but multiprocessing's resource tracker (it lives as long as we do)."""
    found = {}
    for child in psutil.Process().children(recursive=True):
        with contextlib.suppress(psutil.Error):
            if "resource_tracker" not in " ".join(child.cmdline()):
                found[child.pid] = child
    return found


@pytest.fixture(scope="module")
def client():
    """A cluster that gives up on a task at the first worker it kills (Dask tries three others by default)."""
    before = children()
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}), \
            distributed.LocalCluster(**cluster.local_cluster(2)) as local, \
            distributed.Client(local, set_as_default=False) as connected:
        assert len(connected.nthreads()) == 2
        yield connected
    _, alive = psutil.wait_procs([p for pid, p in children().items() if pid not in before], timeout=5)
    assert not alive, f"processes left behind: {alive}"


def blocked(out: Path) -> Path:
    folder = out / BLOCKED
    folder.mkdir(parents=True)
    (folder / f"{BLOCKED}-review.pptx").write_text("the rep's own notes", encoding="utf-8")
    return out


def files_of(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def portable(outcome: PlanOutcome, out: Path) -> dict:
    """An outcome with its folders relative to its OUT, and without its timing."""
    values = dataclasses.asdict(outcome)
    values.pop("seconds")
    values["folder"] = outcome.folder and os.path.relpath(outcome.folder, out)
    values["outputs"] = [os.path.relpath(p, out) for p in outcome.outputs]
    for key in ("reason",):
        values[key] = values[key].replace(str(out), "OUT")
    if values["refusal"] and values["refusal"]["file"]:
        values["refusal"]["file"] = values["refusal"]["file"].replace(str(out), "OUT")
    return values


@pytest.fixture(scope="module")
def both(plans, client):
    """The batch built by the local pool and on the cluster, each into an OUT of its own."""
    local_out, dask_out = blocked(plans.parent / "local"), blocked(plans.parent / "dask")
    local = build_many([plans], local_out, AS_OF, jobs=2)
    on_cluster = build_many([plans], dask_out, AS_OF, scheduler=client)
    return (local, local_out), (on_cluster, dask_out)


def test_the_cluster_writes_the_same_files_byte_for_byte_as_the_local_pool(both):
    (_, local_out), (_, dask_out) = both
    local, on_cluster = files_of(local_out), files_of(dask_out)
    assert sorted(local) == sorted(on_cluster)
    assert [name for name in local if name.endswith("-review.pptx")] == [
        "blue-fjord-energy/blue-fjord-energy-review.pptx", "harbor-line-logistics/harbor-line-logistics-review.pptx",
        f"{BLOCKED}/{BLOCKED}-review.pptx"]
    assert len(local) == 7                                  # two plans' three outputs, and the rep's own file
    for name in local:
        assert on_cluster[name] == local[name], name
    assert not [p for p in dask_out.rglob("*") if p.name.startswith(".")]      # no temporary file left


def test_every_plan_has_the_same_outcome_and_one_line_reason_on_the_cluster(both):
    (local, local_out), (on_cluster, dask_out) = both
    assert [portable(o, local_out) for o in local] == [portable(o, dask_out) for o in on_cluster]
    by_status = {Path(o.file).name: o.status for o in on_cluster}
    assert by_status == {"blue-fjord.xlsx": "built with errors", "harbor.xlsx": "built",
                         "notes.xlsx": "not usable", "orion.xlsx": "not written"}
    reasons = {Path(o.file).name: o.reason for o in on_cluster if o.failed}
    assert "not an Excel workbook" in reasons["notes.xlsx"]
    assert reasons["orion.xlsx"] == (f"{dask_out / BLOCKED / BLOCKED}-review.pptx: exists and was not written by "
                                      "accountplan; move it or choose another folder")


def test_a_checked_workbook_fixed_and_built_again_is_updated_in_place_as_the_pool_does(both, client, tmp_path):
    (_, local_out), (_, dask_out) = both
    again = {}
    for name, out, scheduler in (("local", local_out, None), ("dask", dask_out, client)):
        copy = shutil.copytree(out, tmp_path / name)
        checked = copy / "blue-fjord-energy" / "blue-fjord-energy-plan-checked.xlsx"
        outcome, = build_many([checked], copy, AS_OF, jobs=1, scheduler=scheduler)
        assert outcome.status == "built with errors" and outcome.folder == str(copy / "blue-fjord-energy")
        again[name] = files_of(copy)
    assert again["dask"] == again["local"]


def test_a_plan_that_kills_its_worker_stops_nothing_else(plans, client):
    def die_on_blue(file, data=None, kit=None):
        if "blue" in file:
            os._exit(9)                         # as the out-of-memory killer would
        return len(data)

    files = [str(plans / name) for name in ("harbor.xlsx", "blue-fjord.xlsx", "notes.xlsx")]
    done: dict[int, object] = {}
    with cluster.DaskExecutor(client) as executor:
        executor._each(files, die_on_blue, (), done.__setitem__, lambda i, why: f"crashed: {why}",
                       here=lambda i: "here")
    assert done == {0: (plans / "harbor.xlsx").stat().st_size, 1: f"crashed: {CRASHED}",
                    2: (plans / "notes.xlsx").stat().st_size}
    assert client.status == "running"


def test_the_portfolio_read_on_the_cluster_is_the_same(plans, client, monkeypatch):
    files, _ = find_plans([plans])
    local = to_json(roll_up(collect(files, AS_OF, jobs=2), as_of=AS_OF))
    monkeypatch.setattr(cluster, "INLINE_BYTES", 0)         # every plan scattered to a worker before its task
    on_cluster = to_json(roll_up(collect(files, AS_OF, scheduler=client), as_of=AS_OF))
    assert on_cluster == local
    assert local["totals"]["plans"] == 3 and local["totals"]["refused"] == 1


def test_the_command_with_scheduler_local_starts_a_cluster_and_builds_the_same(plans, both, client, tmp_path):
    (_, local_out), _ = both
    out = blocked(tmp_path / "out")
    result = CliRunner().invoke(main, ["build", str(plans), "-o", str(out), "--as-of", AS_OF.isoformat(),
                                       "--scheduler", "local", "--jobs", "2"])
    assert result.exit_code == 3, result.output               # the worst: an output not written
    assert files_of(out) == files_of(local_out)
    assert "4 plans" in result.stdout and "2 built (1 with errors), 1 not usable, 1 not written" in result.stdout
    assert "exists and was not written by accountplan" in result.stdout
    address = client.scheduler.address                        # a running cluster's scheduler, by its address
    portfolio = CliRunner().invoke(main, ["portfolio", str(plans), "--json", "--as-of", AS_OF.isoformat(),
                                          "--scheduler", address])
    assert portfolio.exit_code == 2, portfolio.output
    assert json.loads(portfolio.stdout)["totals"]["refused"] == 1


def test_workers_of_another_version_are_refused_before_any_work(client, monkeypatch):
    monkeypatch.setattr(cluster, "__version__", "0.0.1")
    with pytest.raises(cluster.ClusterError, match=r"runs accountplan \S+, this is 0.0.1"):
        cluster.DaskExecutor(client)
    assert client.status == "running"                        # a client we were given is left open


def test_without_the_extra_or_the_scheduler_the_command_says_what_to_do(plans, tmp_path, monkeypatch):
    monkeypatch.setattr(cluster, "CONNECT_SECONDS", 1)        # Dask tries again until then
    unreachable = CliRunner().invoke(main, ["build", str(plans), "-o", str(tmp_path / "a"),
                                            "--scheduler", "tcp://127.0.0.1:9"])
    assert unreachable.exit_code == 2
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in unreachable.stderr
    monkeypatch.setitem(sys.modules, "distributed", None)
    missing = CliRunner().invoke(main, ["build", str(plans), "-o", str(tmp_path / "b"), "--scheduler", "local"])
    assert missing.exit_code == 2
    assert missing.stderr.strip().endswith('--scheduler needs the dask extra (distributed is missing); '
                                           'pip install "accountplan[dask]"')


def test_a_plan_in_a_kit_with_a_logo_is_the_same_on_the_cluster(plans, client, tmp_path):
    kit = load_kit(Path(__file__).resolve().parent.parent / "kits" / "northwind")
    assert kit.logo is not None
    built = {}
    for name, scheduler in (("local", None), ("dask", client)):
        outcome, = build_many([plans / "harbor.xlsx"], tmp_path / name, AS_OF, jobs=1, kit=kit, scheduler=scheduler)
        assert outcome.status == "built", outcome.reason
        built[name] = files_of(tmp_path / name)
    assert built["dask"] == built["local"]


def test_a_kit_travels_with_its_files_and_the_workers_own_templates(tmp_path):
    logo = tmp_path / "logo.png"
    logo.write_bytes(b"\x89PNG not really")
    kit = dataclasses.replace(default_kit(), name="acme", logo=logo)
    shipped = cluster.ship_kit(kit)
    there = cluster.unpack_kit(shipped)
    assert there.logo != logo and there.logo.name == "logo.png" and there.logo.read_bytes() == logo.read_bytes()
    assert there.templates == templates_dir() and there.name == "acme"
    assert cluster.unpack_kit(shipped) is there                 # once per kit on a worker
    assert cluster.ship_kit(None) is None and cluster.unpack_kit(None) is None
