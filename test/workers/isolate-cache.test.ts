// The isolate cache the create path reads rules, settings and routing health through: one read
// per key while fresh, however many ask; a failed read is not kept; bounded; a write evicts.
import { describe, expect, it } from "vitest";
import { IsolateCache } from "../../shared/isolate-cache";

describe("IsolateCache", () => {
  it("shares one read per key until its TTL passes", async () => {
    const cache = new IsolateCache<number>(1_000);
    let reads = 0;
    const load = async () => ++reads;
    expect(await Promise.all([cache.read("a", load, 0), cache.read("a", load, 999)])).toEqual([1, 1]);
    expect(await cache.read("b", load, 10)).toBe(2);
    expect(await cache.read("a", load, 1_000)).toBe(3);
  });

  it("keeps no failed read, and forgets an evicted key", async () => {
    const cache = new IsolateCache<string>(1_000);
    await expect(cache.read("k", () => Promise.reject(new Error("down")), 0)).rejects.toThrow("down");
    expect(await cache.read("k", async () => "up", 1)).toBe("up");
    cache.evict("k");
    expect(await cache.read("k", async () => "again", 2)).toBe("again");
  });

  it("drops its oldest entry past its bound", async () => {
    const cache = new IsolateCache<string>(1_000, 2);
    await cache.read("a", async () => "a1", 0);
    await cache.read("b", async () => "b1", 0);
    await cache.read("c", async () => "c1", 0);
    expect(await cache.read("a", async () => "a2", 1)).toBe("a2");
    expect(await cache.read("c", async () => "c2", 1)).toBe("c1");
  });
});
