/**
 * Figures of runs that are no longer drafts, computed once per instance. A published (or
 * withdrawn) run's results and snapshot never change — the database refuses it
 * (`accounting_runs_published_immutable`, `accounting_results_frozen`) and its methodology is
 * published and immutable too — so a summary or ranking computed from them stays true; every
 * instance may hold its own copy. What can change (the run's status, region names) is not kept
 * here but added to each answer. Bounded: the least recently used figures are dropped first.
 */
export class FrozenFigures {
  private readonly entries = new Map<string, Promise<unknown>>();

  constructor(private readonly capacity = 2000) {}

  /** The figure under `key`, computed by `compute` the first time (a failure is not kept). */
  get<T>(key: string, compute: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key); // most recently used last
      this.entries.set(key, hit);
      return hit as Promise<T>;
    }
    const made = compute();
    this.entries.set(key, made);
    made.catch(() => this.entries.delete(key));
    while (this.entries.size > this.capacity)
      this.entries.delete(this.entries.keys().next().value as string);
    return made;
  }

  get size(): number {
    return this.entries.size;
  }
}
