// docs/observability/ against the metric catalogue: the Prometheus config, the alert rules and the
// Grafana dashboard must have the shape their tools load, every PromQL expression must parse, and
// every metric and label they name must be one GET /metrics exposes. Renaming a metric fails here,
// not as an empty panel or an alert that can never fire.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { SyntaxNode } from "@lezer/common";
import { parser } from "@prometheus-io/lezer-promql";
import { describe, expect, it, onTestFinished } from "vitest";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { METRICS, type MetricName } from "../../shared/observability/metric-catalogue";

const DOCS = fileURLToPath(new URL("../../docs/observability/", import.meta.url));
const readDoc = (name: string) => readFileSync(join(DOCS, name), "utf8");

// Prometheus adds `job` and `instance` to every scraped series, and the `up` series per target.
const TARGET_LABELS = ["job", "instance"];
const HISTOGRAM_SUFFIXES = ["_bucket", "_sum", "_count"] as const;
const RATE_FUNCTIONS = new Set(["rate", "irate", "increase"]);
const PROMETHEUS_DURATION = /^(\d+y)?(\d+w)?(\d+d)?(\d+h)?(\d+m)?(\d+s)?(\d+ms)?$/;

interface Series {
  labels: string[];
  /** Only for counters (a histogram's series are counters) do rate() and increase() mean anything. */
  counter: boolean;
}

/** What a series name in a query stands for, or why it names nothing /metrics exposes. */
function resolveSeries(name: string): Series | string {
  if (name === "up") return { labels: TARGET_LABELS, counter: false };
  if (name in METRICS) {
    const spec = METRICS[name as MetricName];
    if (spec.kind === "histogram") return `${name} is a histogram: query ${name}_bucket, _sum or _count`;
    return { labels: [...spec.labels, ...TARGET_LABELS], counter: spec.kind === "counter" };
  }
  for (const suffix of HISTOGRAM_SUFFIXES) {
    const base = name.slice(0, -suffix.length);
    if (!name.endsWith(suffix) || !(base in METRICS)) continue;
    const spec = METRICS[base as MetricName];
    if (spec.kind !== "histogram") return `${name}: ${base} is a ${spec.kind}, it has no ${suffix} series`;
    return { labels: [...spec.labels, ...TARGET_LABELS, ...(suffix === "_bucket" ? ["le"] : [])], counter: true };
  }
  return `${name} is not in the metric catalogue`;
}

/** The node and every node under it named `type`, in document order. */
function descendants(node: SyntaxNode, type: string): SyntaxNode[] {
  const found = node.name === type ? [node] : [];
  for (let child = node.firstChild; child; child = child.nextSibling) found.push(...descendants(child, type));
  return found;
}

interface Analysis {
  problems: string[];
  /** Every label the expression's series can carry: what an alert's `$labels` may name. */
  labels: Set<string>;
}

/** Parses one PromQL expression and checks every series, matcher and grouping label it names. */
function analysePromql(expr: string): Analysis {
  const problems: string[] = [];
  const labels = new Set<string>();
  const top = parser.parse(expr).topNode;
  const text = (node: SyntaxNode) => expr.slice(node.from, node.to);

  const errors = descendants(top, "⚠");
  for (const error of errors) problems.push(`syntax error at ${error.from}: …${expr.slice(Math.max(0, error.from - 20), error.from + 20)}…`);
  if (errors.length > 0) return { problems, labels };

  const seriesOf = new Map<number, Series>();
  for (const selector of descendants(top, "VectorSelector")) {
    const identifier = selector.getChild("Identifier");
    if (!identifier) {
      problems.push(`selector without a metric name: ${text(selector)}`);
      continue;
    }
    const series = resolveSeries(text(identifier));
    if (typeof series === "string") {
      problems.push(series);
      continue;
    }
    seriesOf.set(selector.from, series);
    series.labels.forEach((label) => labels.add(label));
    for (const matcher of descendants(selector, "LabelName")) {
      if (!series.labels.includes(text(matcher))) problems.push(`${text(identifier)} has no label ${text(matcher)}`);
    }
  }
  const seriesWithin = (node: SyntaxNode) =>
    descendants(node, "VectorSelector").flatMap((selector) => seriesOf.get(selector.from) ?? []);

  // `by (…)`, `without (…)`, `on (…)`, `ignoring (…)`: the labels must exist on the series grouped.
  for (const grouping of descendants(top, "GroupingLabels")) {
    let scope = grouping.parent;
    while (scope && scope.name !== "AggregateExpr" && scope.name !== "BinaryExpr") scope = scope.parent;
    const available = new Set(seriesWithin(scope ?? top).flatMap((series) => series.labels));
    for (const label of descendants(grouping, "LabelName")) {
      if (!available.has(text(label))) problems.push(`grouping by ${text(label)}, which none of its series carries: ${text(grouping)}`);
    }
  }

  for (const call of descendants(top, "FunctionCall")) {
    const name = text(call.getChild("FunctionIdentifier")!);
    if (!RATE_FUNCTIONS.has(name)) continue;
    const body = call.getChild("FunctionCallBody")!;
    if (seriesWithin(body).some((series) => !series.counter)) problems.push(`${name}() over a gauge: ${text(call)}`);
  }
  return { problems, labels };
}

interface Rule {
  alert?: string;
  expr?: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

const prometheusConfig = parseYaml(readDoc("prometheus.yml"));
const rules = parseYaml(readDoc("alert-rules.yml")) as { groups: { name: string; rules: Rule[] }[] };
const allRules = rules.groups.flatMap((group) => group.rules);

describe("the analysis itself", () => {
  it("catches a renamed metric, a label it lacks, a bare histogram, rate() over a gauge and bad syntax", () => {
    expect(analysePromql('sum by (channel) (rate(edgepay_payment_transitions_total{mode="live"}[5m]))').problems).toEqual([]);
    expect(analysePromql("rate(edgepay_payment_transitions[5m])").problems).toEqual([
      "edgepay_payment_transitions is not in the metric catalogue",
    ]);
    expect(analysePromql('edgepay_dead_letters{channel="stripe"}').problems).toEqual(["edgepay_dead_letters has no label channel"]);
    expect(analysePromql("sum by (mode) (edgepay_dead_letters)").problems).toEqual([
      "grouping by mode, which none of its series carries: (mode)",
    ]);
    expect(analysePromql("edgepay_projection_lag_seconds").problems[0]).toMatch(/is a histogram/);
    expect(analysePromql("edgepay_dead_letters_bucket").problems[0]).toMatch(/is a gauge, it has no _bucket series/);
    expect(analysePromql("sum by (le) (edgepay_channel_call_duration_seconds_count)").problems).toHaveLength(1);
    expect(analysePromql("increase(edgepay_dead_letters[30m])").problems[0]).toMatch(/^increase\(\) over a gauge/);
    expect(analysePromql("sum(rate(edgepay_webhook_ingress_total[5m])").problems[0]).toMatch(/^syntax error/);
  });
});

describe("docs/observability/prometheus.yml", () => {
  const job = prometheusConfig.scrape_configs?.find((config: { job_name?: string }) => config.job_name === "edgepay");

  it("scrapes /metrics with the admin token read from a file, never inline", () => {
    expect(prometheusConfig.global.scrape_interval).toMatch(PROMETHEUS_DURATION);
    expect(prometheusConfig.global.evaluation_interval).toMatch(PROMETHEUS_DURATION);
    expect(job).toBeDefined();
    expect(job.metrics_path).toBe("/metrics");
    expect(["http", "https"]).toContain(job.scheme);
    expect(job.authorization.type).toBe("Bearer");
    expect(job.authorization.credentials_file).toEqual(expect.any(String));
    expect(job.authorization.credentials).toBeUndefined();
    expect(job.bearer_token).toBeUndefined();
    expect(job.static_configs.flatMap((config: { targets: string[] }) => config.targets)).toContain("127.0.0.1:8787");
  });

  it("loads the alert rules file that sits beside it", () => {
    expect(prometheusConfig.rule_files).toEqual(["alert-rules.yml"]);
    for (const file of prometheusConfig.rule_files) expect(existsSync(join(DOCS, file)), file).toBe(true);
  });
});

describe("docs/observability/alert-rules.yml", () => {
  it("has named groups of alerts, each with a duration, a severity, a summary and the runbook", () => {
    expect(rules.groups.length).toBeGreaterThan(0);
    for (const group of rules.groups) {
      expect(group.name, "group name").toEqual(expect.any(String));
      expect(group.rules.length, group.name).toBeGreaterThan(0);
    }
    expect(new Set(rules.groups.map((group) => group.name)).size).toBe(rules.groups.length);
    expect(new Set(allRules.map((rule) => rule.alert)).size).toBe(allRules.length);
    for (const rule of allRules) {
      expect(rule.alert, JSON.stringify(rule)).toMatch(/^Edgepay[A-Za-z]+$/);
      expect(rule.expr, rule.alert).toEqual(expect.any(String));
      expect(rule.for, rule.alert).toMatch(PROMETHEUS_DURATION);
      expect(rule.for, rule.alert).not.toBe("");
      expect(["critical", "warning", "info"], rule.alert).toContain(rule.labels?.severity);
      expect(rule.annotations?.summary, rule.alert).toEqual(expect.any(String));
      expect(rule.annotations?.description, rule.alert).toEqual(expect.any(String));
      expect(rule.annotations?.runbook, rule.alert).toBe("../../README.md#observability");
    }
  });

  it("covers the success rate, dead letters, projection lag, channel errors and open circuits", () => {
    const exprs = (alert: string) => allRules.find((rule) => rule.alert === alert)?.expr ?? "";
    expect(exprs("EdgepaySuccessRateLow")).toContain("edgepay_payment_transitions_total");
    expect(exprs("EdgepayDeadLettersGrowing")).toContain("edgepay_dead_letters");
    expect(exprs("EdgepayProjectionLagHigh")).toContain("edgepay_projection_lag_seconds_bucket");
    expect(exprs("EdgepayChannelErrors")).toContain("edgepay_channel_call_duration_seconds_count");
    expect(exprs("EdgepayRoutingCircuitOpen")).toContain("edgepay_routing_circuits");
  });

  it.each(allRules.map((rule) => [rule.alert, rule] as const))("%s: its PromQL parses and names only catalogued metrics and labels", (_, rule) => {
    const { problems, labels } = analysePromql(rule.expr!);
    expect(problems, rule.expr).toEqual([]);
    const templated = Object.values(rule.annotations ?? {}).join("\n");
    for (const [, label] of templated.matchAll(/\$labels\.(\w+)/g)) expect([...labels], `$labels.${label}`).toContain(label);
  });

  // The largest finite bucket caps what histogram_quantile() can answer.
  it("sets the projection lag threshold below the largest bucket, so the alert can fire", () => {
    const threshold = Number(/>\s*([\d.]+)\s*$/.exec(allRules.find((rule) => rule.alert === "EdgepayProjectionLagHigh")!.expr!.trim())![1]);
    expect(threshold).toBeLessThan(Math.max(...METRICS.edgepay_projection_lag_seconds.buckets));
  });
});

interface Target {
  refId?: string;
  expr?: string;
  datasource?: { type?: string; uid?: string };
}
interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource?: { type?: string; uid?: string };
  fieldConfig?: { defaults?: { unit?: string } };
  targets?: Target[];
}
interface Variable {
  name: string;
  type: string;
  definition?: string;
  query?: { query?: string } | string;
  datasource?: { type?: string; uid?: string };
}

const dashboard = JSON.parse(readDoc("grafana-dashboard.json"));
const panels: Panel[] = dashboard.panels;
const variables: Variable[] = dashboard.templating.list;
const targets = panels.flatMap((panel) => (panel.targets ?? []).map((target) => [panel.title, target] as const));
// Grafana's own variables, and a value each of ours could take (multi-value: a regex alternation).
const GRAFANA_VARIABLES: Record<string, string> = { __rate_interval: "1m", __interval: "1m", __range: "1h" };
const SAMPLE_VALUES: Record<string, string> = { mode: "(test|live)", channel: "(sandbox|stripe)" };

const variablesUsed = (expr: string) => [...expr.matchAll(/\$\{?(\w+)\}?/g)].map((match) => match[1]!);
const substituted = (expr: string) =>
  expr.replace(/\$\{?(\w+)\}?/g, (_, name: string) => GRAFANA_VARIABLES[name] ?? SAMPLE_VALUES[name] ?? `$${name}`);

describe("docs/observability/grafana-dashboard.json", () => {
  it("imports with a choice of Prometheus datasource", () => {
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(39);
    expect(dashboard.title).toBe("Edge payment platform");
    expect(dashboard.uid).toEqual(expect.any(String));
    expect(dashboard.refresh).toBe("30s");
    expect(dashboard.timepicker).toBeDefined();
    expect(dashboard.__inputs).toEqual([expect.objectContaining({ name: "DS_PROMETHEUS", type: "datasource", pluginId: "prometheus" })]);
    expect(dashboard.__requires).toEqual(expect.arrayContaining([expect.objectContaining({ type: "datasource", id: "prometheus" })]));
    const required = new Set(dashboard.__requires.filter((item: { type: string }) => item.type === "panel").map((item: { id: string }) => item.id));
    for (const panel of panels) expect(required, panel.title).toContain(panel.type);
    const datasources = [
      ...panels.flatMap((panel) => [panel.datasource, ...(panel.targets ?? []).map((target) => target.datasource)]),
      ...variables.map((variable) => variable.datasource),
    ];
    for (const datasource of datasources) expect(datasource).toEqual({ type: "prometheus", uid: "${DS_PROMETHEUS}" });
  });

  it("lays out uniquely numbered panels on the 24-column grid without overlaps, each with a unit", () => {
    expect(new Set(panels.map((panel) => panel.id)).size).toBe(panels.length);
    for (const { title, gridPos, fieldConfig } of panels) {
      expect(gridPos.x, title).toBeGreaterThanOrEqual(0);
      expect(gridPos.y, title).toBeGreaterThanOrEqual(0);
      expect(gridPos.w, title).toBeGreaterThan(0);
      expect(gridPos.h, title).toBeGreaterThan(0);
      expect(gridPos.x + gridPos.w, title).toBeLessThanOrEqual(24);
      expect(fieldConfig?.defaults?.unit, title).toEqual(expect.any(String));
    }
    const overlapping = panels.flatMap((a, i) =>
      panels.slice(i + 1).flatMap((b) => {
        const [p, q] = [a.gridPos, b.gridPos];
        const overlaps = p.x < q.x + q.w && q.x < p.x + p.w && p.y < q.y + q.h && q.y < p.y + p.h;
        return overlaps ? [`${a.title} / ${b.title}`] : [];
      }),
    );
    expect(overlapping).toEqual([]);
  });

  it("charts every catalogued metric, latency in seconds and success as a ratio", () => {
    const exprs = targets.map(([, target]) => target.expr ?? "").join("\n");
    for (const name of Object.keys(METRICS)) expect(exprs, name).toContain(name);
    expect(panels.find((panel) => panel.title === "Channel latency p50 / p95")?.fieldConfig?.defaults?.unit).toBe("s");
    expect(panels.find((panel) => panel.title === "Success rate")?.fieldConfig?.defaults?.unit).toBe("percentunit");
  });

  it("defines every variable its queries use, each from a catalogued metric and label", () => {
    const defined = new Set(variables.map((variable) => variable.name));
    for (const [title, target] of targets) {
      for (const name of variablesUsed(target.expr ?? "")) {
        if (!(name in GRAFANA_VARIABLES)) expect(defined, `${title}: $${name}`).toContain(name);
      }
    }
    for (const variable of variables) {
      expect(SAMPLE_VALUES, `a sample value for $${variable.name}`).toHaveProperty(variable.name);
      const query = typeof variable.query === "string" ? variable.query : variable.query?.query;
      const [, metric, label] = /^label_values\((\w+),\s*(\w+)\)$/.exec(query ?? "") ?? [];
      expect(metric, `$${variable.name}: ${query}`).toBeDefined();
      const series = resolveSeries(metric!);
      expect(typeof series === "string" ? series : series.labels).toContain(label);
    }
  });

  it.each(targets.map(([title, target]) => [`${title} ${target.refId}`, target] as const))(
    "%s: its PromQL parses and names only catalogued metrics and labels",
    (_, target) => {
      expect(target.refId).toMatch(/^[A-Z]$/);
      expect(target.expr).toEqual(expect.any(String));
      const expr = substituted(target.expr!);
      expect(analysePromql(expr).problems, expr).toEqual([]);
    },
  );
});

// promtool is the reference checker; .ci/run installs it (Debian's prometheus package), and these run wherever it is.
const promtool = spawnSync("promtool", ["--version"]).error === undefined;
describe.skipIf(!promtool)("promtool", () => {
  const run = (...args: string[]) => spawnSync("promtool", args, { cwd: DOCS, encoding: "utf8" });

  it("accepts the config (with a token file present) and its rules", () => {
    const dir = mkdtempSync(join(tmpdir(), "observability-docs-"));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, "token"), "test-token\n");
    const config = structuredClone(prometheusConfig);
    config.rule_files = config.rule_files.map((file: string) => join(DOCS, file));
    for (const job of config.scrape_configs) job.authorization.credentials_file = join(dir, "token");
    writeFileSync(join(dir, "prometheus.yml"), stringifyYaml(config));
    const result = run("check", "config", join(dir, "prometheus.yml"));
    expect(result.status, result.stdout + result.stderr).toBe(0);
  });

  // As recording rules, so Prometheus' own parser reads the dashboard's queries too.
  it("parses every dashboard query", () => {
    const dir = mkdtempSync(join(tmpdir(), "observability-docs-"));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const recorded = targets.map(([, target], i) => ({ record: `dashboard:query${i}`, expr: substituted(target.expr!) }));
    writeFileSync(join(dir, "dashboard-rules.yml"), stringifyYaml({ groups: [{ name: "dashboard", rules: recorded }] }));
    const result = run("check", "rules", join(dir, "dashboard-rules.yml"));
    expect(result.status, result.stdout + result.stderr).toBe(0);
  });

  it("passes the rules' unit tests (alert-rules.test.yml)", () => {
    const result = run("test", "rules", "alert-rules.test.yml");
    expect(result.status, result.stdout + result.stderr).toBe(0);
  });
});
