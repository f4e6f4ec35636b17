// A filter for the local runtime's output in `npm run dev`.
import { Transform } from "node:stream";

/**
 * The local runtime prints its own internal trace for an outbound fetch whose host does not
 * resolve (a notify_url such as example.com, offline), several per attempt, and then "Uncaught
 * Error: internal error; reference = <the trace's id>". The platform logs one structured warning
 * per failed attempt ("notification attempt failed"), so those traces are left out of the output.
 */
export function withoutRuntimeNetworkTraces() {
  const NETWORK_FAILURE = /kj\/async-io[\w.+-]*:\d+: failed: DNS lookup failed/;
  const ansi = /\x1b\[[0-9;]*m/g;
  const dropped = new Set();
  let dropping = false;
  let pending = "";
  const keep = (line) => {
    const plain = line.replace(ansi, "");
    if (NETWORK_FAILURE.test(plain)) return (dropping = true), false;
    if (dropping && (plain.trim() === "" || /^\s/.test(plain))) {
      const id = /wdErrId = (\w+)/.exec(plain)?.[1];
      if (id) dropped.add(id);
      return false;
    }
    dropping = false;
    const reference = /Uncaught Error: internal error; reference = (\w+)/.exec(plain)?.[1];
    return !(reference && dropped.delete(reference));
  };
  return new Transform({
    transform(chunk, _encoding, done) {
      const lines = (pending + chunk).split("\n");
      pending = lines.pop();
      done(null, lines.filter(keep).map((l) => `${l}\n`).join(""));
    },
    flush(done) {
      done(null, pending && keep(pending) ? pending : "");
    },
  });
}
