// One autocannon run of one route, reduced to the figures the bench reports.
import autocannon from "autocannon";

/** A `load(name, options)` running autocannon with `connections` for `duration` s unless `options` say otherwise. */
export function loader({ connections, duration }) {
  return (name, options) =>
    new Promise((resolve, reject) => {
      autocannon({ connections, duration, ...options }, (err, result) => {
        if (err) return reject(err);
        const codes = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, stat]) => [code, stat.count]));
        resolve({
          name,
          rps: Math.round(result.requests.average),
          p50: result.latency.p50,
          p99: result.latency.p99,
          requests: result.requests.total,
          ok: Object.entries(codes)
            .filter(([code]) => code.startsWith("2"))
            .reduce((sum, [, count]) => sum + count, 0),
          non2xx: result.non2xx,
          codes,
          errors: result.errors + result.timeouts,
        });
      });
    });
}
