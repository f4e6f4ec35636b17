// Prometheus' text exposition format (0.0.4): every metric of the catalogue, in its order, with
// its # HELP and # TYPE (a metric with no samples yet is still declared), from the stored rows and
// the gauges read at scrape time. Histogram rows hold each bucket's own count; here they become
// cumulative buckets, _sum and _count.
import { METRICS, type MetricName } from "./metric-catalogue";
import { labelString, type StoredMetrics } from "./metrics-store";

export const EXPOSITION_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

export interface GaugeSample {
  name: MetricName;
  labels: Record<string, string>;
  value: number;
}

const escapeHelp = (help: string) => help.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
const braced = (labels: string) => (labels === "" ? "" : `{${labels}}`);
const withLe = (labels: string, le: string) => `{${labels === "" ? "" : `${labels},`}le="${le}"}`;

function histogramLines(name: MetricName, rows: StoredMetrics["histograms"]): string[] {
  const bounds = [...(METRICS[name] as { buckets: readonly number[] }).buckets.map(String), "+Inf"];
  return [...new Set(rows.map((r) => r.labels))].sort().flatMap((labels) => {
    const buckets = rows.filter((r) => r.labels === labels);
    let cumulative = 0;
    const lines = bounds.map((le) => {
      cumulative += buckets.filter((b) => b.le === le).reduce((n, b) => n + b.count, 0);
      return `${name}_bucket${withLe(labels, le)} ${cumulative}`;
    });
    const sum = buckets.reduce((s, b) => s + b.sum, 0);
    return [...lines, `${name}_sum${braced(labels)} ${sum}`, `${name}_count${braced(labels)} ${cumulative}`];
  });
}

export function renderExposition(stored: StoredMetrics, gauges: GaugeSample[]): string {
  const lines: string[] = [];
  for (const [name, spec] of Object.entries(METRICS) as Array<[MetricName, (typeof METRICS)[MetricName]]>) {
    lines.push(`# HELP ${name} ${escapeHelp(spec.help)}`, `# TYPE ${name} ${spec.kind}`);
    if (spec.kind === "histogram") {
      lines.push(...histogramLines(name, stored.histograms.filter((r) => r.name === name)));
      continue;
    }
    const samples =
      spec.kind === "counter"
        ? stored.counters.filter((r) => r.name === name)
        : gauges.filter((g) => g.name === name).map((g) => ({ labels: labelString(g.labels), value: g.value }));
    for (const sample of samples.sort((a, b) => a.labels.localeCompare(b.labels))) {
      lines.push(`${name}${braced(sample.labels)} ${sample.value}`);
    }
  }
  return `${lines.join("\n")}\n`;
}
