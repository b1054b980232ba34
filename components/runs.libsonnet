// Tables of recent runs (training runs, evaluations): one row per run, newest first.
//
// A metric value says nothing about when a run happened, so recency comes from the run's identity: the
// table is sorted by its `run_id` tag, descending. Collectors name runs with a UTC start-time prefix
// (`20251023T140512-<id>`), so the newest run sorts first; a table sorted by a value column (duration, say)
// would list the slowest runs, not the latest.
local w = import 'widgets.libsonnet';

local tag = 'run_id';
local rowCount = 25;

{
  tag:: tag,
  rowCount:: rowCount,

  // Sort every request of a table by the run tag, newest first, keeping `rowCount` rows.
  newestFirst():: {
    definition+: {
      requests: [
        request + { sort: { count: rowCount, order_by: [{ type: 'group', name: tag, order: 'desc' }] } }
        for request in super.requests
      ],
    },
  },

  // A query grouped by run: 'max:wandb.ptm.success.duration_hours{$env} by {run_id}'.
  byRun(q):: w.query.by(q, [tag]),

  // `columns` is [[name, label, query], ...]; `formats(name)` gives a column's conditional formats ([] for none).
  table(title, columns, formats=function(name) [])::
    w.table.new(title, [w.query.metric(c[0], c[2]) + w.query.withAggregator('last') for c in columns])
    + w.table.withFormulas([
      local f = formats(c[0]);
      w.formula.new(c[0]) + w.formula.withAlias(c[1]) + (if f == [] then {} else w.formula.withConditionalFormats(f))
      for c in columns
    ])
    + w.table.withHasSearchBar('auto')
    + w.table.withDescription('One row per run (%s), newest first: the %d latest runs of the selected time range.'
                              % [tag, rowCount])
    + $.newestFirst(),
}
