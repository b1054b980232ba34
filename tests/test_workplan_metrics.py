"""Every metric the dashboard workplan names for a dashboard appears in that dashboard's compiled JSON.

QUERIED metrics must be read by a widget query; MENTIONED ones (placeholders for metrics that are not
collected yet) must at least be named in the dashboard, e.g. in the note standing in for them.
"""

from __future__ import annotations

import json
import re

import pytest


def expand(*patterns: str) -> list[str]:
    """'a.{x,y}.b' -> ['a.x.b', 'a.y.b'] (one brace group), as the workplan writes metric families."""
    names = []
    for pattern in patterns:
        match = re.search(r"\{([^}]*)\}", pattern)
        if not match:
            names.append(pattern)
            continue
        for option in match.group(1).split(","):
            names += expand(pattern[: match.start()] + option + pattern[match.end() :])
    return names


QUERIED = {
    "github_cicd": expand(
        "github.prs.{open,merged_7d,cycle_time_hours,stale_count_14d}",
        "github.developers.active_7d",
        "github.ci.{tests_passing_on_main,failed_workflows_7d,workflow_runs_7d}",
        "github.ci.duration_{p50,p90,p99}_minutes",
        "github.commits.{hotfix,reverts,per_developer_7d}",
    ),
    "skypilot_jobs": expand(
        "skypilot.jobs.{running,queued,failed,failed_7d,succeeded,cancelled,with_recoveries}",
        "skypilot.jobs.runtime_seconds.{p50,p90,p99,min,max,avg}",
        "skypilot.jobs.runtime_buckets.{0_1h,1_4h,4_24h,over_24h}",
        "skypilot.resources.gpus.{l4_count,a10g_count,h100_count,total_count}",
        "skypilot.resources.{spot_jobs,ondemand_jobs}",
        "skypilot.regions.{us_east_1,us_west_2,other}",
        "skypilot.users.active_count",
        "skypilot.clusters.active",
    ),
    "system_health_rollup": expand(
        "health.ci.{tests_passing,failing_workflows,hotfix_count,revert_count,duration_p90,stale_prs,pr_cycle_time}.fom",
    ),
    "system_health_rollup_wildcard": expand(
        "health.ci.{tests_passing,failing_workflows,hotfix_count,revert_count,duration_p90,stale_prs,pr_cycle_time}.fom",
    ),
    "asana": expand(
        "asana.projects.{active,on_track,at_risk,off_track}",
        "asana.projects.bugs.{total_open,triage_count,active_count,backlog_count}",
        "asana.projects.bugs.{completed_7d,completed_30d,created_7d}",
        "asana.projects.bugs.{avg_age_days,oldest_bug_days}",
    ),
    "ec2": expand(
        "ec2.instances.{total,running,stopped,spot,ondemand,gpu_count,cpu_count,idle}",
        "ec2.instances.{avg_age_days,oldest_age_days}",
        "ec2.ebs.volumes.{total,attached,unattached,size_gb}",
        "ec2.ebs.snapshots.{total,size_gb}",
        "ec2.cost.{running_hourly_estimate,monthly_estimate,spot_savings_pct}",
    ),
    "training": expand(
        "wandb.runs.{active,completed_7d,failed_7d}",
        "skypilot.jobs.queued",
        "wandb.metrics.{best_accuracy,avg_accuracy_7d,latest_loss}",
        "wandb.training.arena.{runs_completed_24h,avg_hearts,avg_sps}",
        "wandb.training.multinode.{runs_completed_24h,avg_hearts,shaped_reward_sps}",
        "wandb.training.{gpu_utilization_avg,avg_duration_hours,total_gpu_hours_7d,cost_estimate_usd}",
        "wandb.{ptm,sweep,stable,local,other}.{success,failure}.duration_hours",
        "wandb.ptm.{success,failure}.{sps,hearts_gained}",
        "wandb.ptm.success.skypilot_latency_s",
    ),
    "eval": expand(
        "eval.local.{exit_code,hearts_delta_pct}",
        "eval.remote.{success_count,hearts_delta_pct,duration_minutes}",
    ),
    "collector_health": expand(
        "collector.{success,duration_seconds,error_count,metrics_published}",
    ),
}

MENTIONED = {
    "github_cicd": ["github.commits.total_7d", "github.commits.force_merge_7d"],
    "skypilot_jobs": expand("skypilot.jobs.recovery_count.{avg,max}"),
}


def _queries(node) -> list[str]:
    """Every query string in a dashboard: formulas-and-functions `query` fields and legacy `q`."""
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("query", "q") and isinstance(value, str):
                found.append(value)
            else:
                found += _queries(value)
    elif isinstance(node, list):
        for item in node:
            found += _queries(item)
    return found


@pytest.fixture(scope="module")
def compiled(project_dashboards) -> dict[str, dict]:
    return {name: c.dashboard for name, c in project_dashboards.items() if c.dashboard is not None}


def _metric_in(metric: str, text: str) -> bool:
    # a whole metric name: not a prefix of a longer one (github.prs.open vs github.prs.open_count)
    return re.search(re.escape(metric) + r"(?![\w.])", text) is not None


@pytest.mark.parametrize("name", sorted(QUERIED))
def test_every_named_metric_is_queried(compiled, name):
    assert name in compiled, f"dashboards/{name}.jsonnet did not compile to a dashboard"
    queries = "\n".join(_queries(compiled[name]))
    missing = [metric for metric in QUERIED[name] if not _metric_in(metric, queries)]
    assert not missing, f"{name}: metrics named by the workplan but queried by no widget: {missing}"


@pytest.mark.parametrize("name", sorted(MENTIONED))
def test_placeholder_metrics_are_named(compiled, name):
    text = json.dumps(compiled[name])
    missing = [metric for metric in MENTIONED[name] if not _metric_in(metric, text)]
    assert not missing, f"{name}: placeholder metrics not mentioned anywhere: {missing}"
