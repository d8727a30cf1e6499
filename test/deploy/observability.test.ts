/**
 * deploy/grafana-dashboard.json and deploy/prometheus-rules.yml name only metrics the service
 * exports: every metric in their PromQL appears in a scrape after a mixed run.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { parse } from 'yaml'
import { projectRoot } from '../../src/paths.js'
import { buildApp } from '../helpers/app.js'
import { TOKEN, mixedRun, scrape } from '../helpers/metrics.js'

/** PromQL words that are not metric names. */
const keywords = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'and', 'or', 'unless', 'bool', 'offset', 'inf', 'nan'])

/** The metric names in a PromQL expression (label matchers, ranges, strings and grouping dropped). */
function metricNames (expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
  const names = [...bare.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)(\s*\()?/g)]
    .filter((m) => m[2] === undefined && !keywords.has(m[1]!.toLowerCase()))
    .map((m) => m[1]!)
  return [...new Set(names)]
}

const dashboard = JSON.parse(readFileSync(join(projectRoot, 'deploy/grafana-dashboard.json'), 'utf8')) as {
  panels: Array<{ title: string, targets: Array<{ expr: string }> }>
  templating: { list: Array<{ name: string, definition?: string }> }
}
const rules = parse(readFileSync(join(projectRoot, 'deploy/prometheus-rules.yml'), 'utf8')) as {
  groups: Array<{ rules: Array<{ alert: string, expr: string }> }>
}

const expressions: Array<{ where: string, expr: string }> = [
  ...dashboard.panels.flatMap((p) => p.targets.map((target) => ({ where: `panel "${p.title}"`, expr: target.expr }))),
  ...dashboard.templating.list.filter((v) => v.definition !== undefined).map((v) => ({ where: `variable ${v.name}`, expr: v.definition!.replace(/^label_values\((.*),\s*\w+\)$/, '$1') })),
  ...rules.groups.flatMap((g) => g.rules.map((r) => ({ where: `alert ${r.alert}`, expr: r.expr })))
]

t.test('metricNames finds the metrics of an expression and nothing else', async (t) => {
  t.same(metricNames('sum by (instance, le) (rate(http_request_duration_seconds_bucket{route!="unmatched", x="a{b}"}[5m])) > 0.5'), ['http_request_duration_seconds_bucket'])
  t.same(metricNames('a_bytes / b_bytes > 0.9 or c / d'), ['a_bytes', 'b_bytes', 'c', 'd'])
})

t.test('the dashboard and the rules cover what the issue asks', async (t) => {
  const titles = dashboard.panels.map((p) => p.title).join('\n')
  for (const want of [/request rate/i, /p50 \/ p95 \/ p99/, /error ratio/i, /cache hit ratio/i, /event-loop delay per instance/i]) t.match(titles, want)
  t.same(rules.groups.flatMap((g) => g.rules.map((r) => r.alert)).sort(),
    ['IspHighErrorRatio', 'IspHighLatencyP99', 'IspLoadShedding', 'IspMemoryNearLimit', 'IspReadinessFlapping'])
  const docs = readFileSync(join(projectRoot, 'docs/observability.md'), 'utf8')
  for (const g of rules.groups) for (const r of g.rules) t.match(docs, `### ${r.alert}`, `docs/observability.md says what to do when ${r.alert} fires`)
})

t.test('every metric the dashboard and the rules name is exported', async (t) => {
  const app = await buildApp(t, { env: { METRICS_TOKEN: TOKEN } })
  await mixedRun(app)
  const exported = new Set((await scrape(app)).map((s) => s.name))
  const named = new Set<string>()
  for (const { where, expr } of expressions) {
    const names = metricNames(expr)
    t.ok(names.length > 0, `${where} names a metric`)
    for (const name of names) {
      named.add(name)
      t.ok(exported.has(name), `${where}: ${name} is exported`)
    }
  }
  t.ok(named.size >= 10, `${named.size} metrics named`)
})
