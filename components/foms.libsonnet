// Every Figure of Merit of the System Health Rollup, declared once (source: shared reference fom.md).
// Lists keep the rollup's row order; `byMetric` finds one by its published metric name. Each area's FoMs link
// to the dashboard that shows their raw metrics.
local fom = import 'fom.libsonnet';

local linked(name, title, decls) = [decl + fom.withDashboard(name, title) for decl in decls];

local ci = linked('github_cicd', 'GitHub CI/CD', [
  fom.binary('Tests Passing', 'health.ci.tests_passing.fom', 'github.ci.tests_passing_on_main', 'positive'),
  fom.linear('Failing Workflows', 'health.ci.failing_workflows.fom', 'github.ci.failed_workflows_7d', 0, 5)
  + fom.withRawSpace('sum'),
  fom.linear('Hotfix Count', 'health.ci.hotfix_count.fom', 'github.commits.hotfix', 0, 10) + fom.withRawSpace('sum'),
  fom.linear('Revert Count', 'health.ci.revert_count.fom', 'github.commits.reverts', 0, 2) + fom.withRawSpace('sum'),
  fom.linear('CI Duration P90', 'health.ci.duration_p90.fom', 'github.ci.duration_p90_minutes', 3, 10),
  fom.linear('Stale PRs', 'health.ci.stale_prs.fom', 'github.prs.stale_count_14d', 0, 50),
  fom.linear('PR Cycle Time', 'health.ci.pr_cycle_time.fom', 'github.prs.cycle_time_hours', 24, 72),
]);

local training = linked('training', 'Training & WandB', [
  fom.linear('Run Success', 'health.training.run_success.fom', 'wandb.runs.completed_7d', 7, 0),
  fom.linear('Run Failures', 'health.training.run_failures.fom', 'wandb.runs.failed_7d', 0, 3),
  fom.linear('Best Accuracy', 'health.training.best_accuracy.fom', 'wandb.metrics.best_accuracy', 1, 0),
  fom.linear('Avg Accuracy', 'health.training.avg_accuracy.fom', 'wandb.metrics.avg_accuracy_7d', 1, 0),
  fom.linear('Latest Loss', 'health.training.latest_loss.fom', 'wandb.metrics.latest_loss', 0.1, 2.0),
  fom.linear('GPU Utilization', 'health.training.gpu_utilization.fom', 'wandb.training.gpu_utilization_avg', 80, 0),
  fom.band('Training Duration', 'health.training.duration.fom', 'wandb.training.avg_duration_hours', 1, 8, 0.3, 16),
]);

local eval = linked('eval', 'Eval & Testing', [
  fom.binary('Local Run Success', 'health.eval.local_run_success.fom', 'eval.local.exit_code', 'zero'),
  fom.absDelta('Local Hearts Accuracy', 'health.eval.local_hearts_accuracy.fom', 'eval.local.hearts_delta_pct', 20),
  fom.linear('Remote Run Success', 'health.eval.remote_run_success.fom', 'eval.remote.success_count', 1, 0),
  fom.absDelta('Remote Hearts Accuracy', 'health.eval.remote_hearts_accuracy.fom', 'eval.remote.hearts_delta_pct', 20),
  fom.linear('Remote Duration', 'health.eval.remote_duration.fom', 'eval.remote.duration_minutes', 3, 10),
]);

// Built once: as fields they would be rebuilt on every access (eval dashboards look FoMs up by metric).
local all = ci + training + eval;
local byMetric = { [decl.metric]: decl for decl in all };

{
  ci: ci,
  training: training,
  eval: eval,
  all: all,
  byMetric: byMetric,
}
