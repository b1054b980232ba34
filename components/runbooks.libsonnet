// Runbooks: the documents that explain what a dashboard shows and what to do about it, kept with the
// collectors in the metta repository (devops/datadog/docs). Widgets link to them with links.customUrl.
local docs = 'https://github.com/Metta-AI/metta/blob/main/devops/datadog/docs/';

{
  // How each Figure of Merit is defined and computed (the FoM collector's spec).
  foms: docs + 'HEALTH_DASHBOARD_SPEC.md',
  // How the collectors run, and how to add or fix one.
  collectors: docs + 'COLLECTORS_ARCHITECTURE.md',
  addingCollector: docs + 'ADDING_NEW_COLLECTOR.md',
  // Why each dashboard looks the way it does.
  dashboards: docs + 'DASHBOARD_DESIGN.md',
}
