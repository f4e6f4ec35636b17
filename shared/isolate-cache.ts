// A read shared by the requests an isolate serves while it is fresh: the first request's promise
// is kept for `ttlMs` and every request in that time awaits it, so a burst costs one read. A read
// that fails is not kept. Bounded: past `maxEntries` the oldest entry goes. Writers evict the key
// in their own isolate at once; the others see the change within the TTL.
export class IsolateCache<V> {
  private readonly entries = new Map<string, { value: Promise<V>; expires: number }>();

  constructor(
    readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  read(key: string, load: () => Promise<V>, now = Date.now()): Promise<V> {
    const entry = this.entries.get(key);
    if (entry && entry.expires > now) return entry.value;
    const value = load();
    value.catch(() => this.entries.delete(key));
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { value, expires: now + this.ttlMs });
    return value;
  }

  evict(key: string): void {
    this.entries.delete(key);
  }
}
