import { describe, expect, it } from 'vitest';
import { createQuery, type QueryState } from './useQuery';

// A promise settled by hand, to choose which answer arrives first.
function later<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => { resolve = res; reject = rej; });
  return { promise, resolve, reject };
}

function recorder() {
  const states: QueryState<string>[] = [];
  const query = createQuery<string>((s) => states.push(s));
  return { states, query, last: () => states[states.length - 1] };
}

describe('the stale-answer guard of useQuery', () => {
  it('ignores a slow first answer that arrives after a fast second one', async () => {
    const { query, last } = recorder();
    const slow = later<string>();
    const fast = later<string>();
    const signals: AbortSignal[] = [];
    const first = query.run((s) => { signals.push(s); return slow.promise; }, true);
    const second = query.run((s) => { signals.push(s); return fast.promise; }, true);
    fast.resolve('filter B');
    await second;
    expect(last()).toEqual({ data: 'filter B', error: null, loading: false });
    slow.resolve('filter A');
    await first;
    expect(last().data).toBe('filter B');
    expect(signals[0].aborted).toBe(true); // the superseded fetch was told to stop
    expect(signals[1].aborted).toBe(false);
  });

  it('ignores a superseded failure too', async () => {
    const { query, last } = recorder();
    const slow = later<string>();
    const first = query.run(() => slow.promise, true);
    await query.run(async () => 'fresh', true);
    slow.reject(new Error('old filters'));
    await first;
    expect(last()).toEqual({ data: 'fresh', error: null, loading: false });
  });

  it('keeps the data on screen during a reload, forgets it for new filters', async () => {
    const { query, states, last } = recorder();
    await query.run(async () => 'one', true);
    const reload = later<string>();
    const pending = query.run(() => reload.promise);
    expect(last()).toEqual({ data: 'one', error: null, loading: true });
    reload.resolve('two');
    await pending;
    const other = later<string>();
    const fresh = query.run(() => other.promise, true);
    expect(last()).toEqual({ data: undefined, error: null, loading: true });
    other.reject(new Error('down'));
    await fresh;
    expect(last().error).toBeInstanceOf(Error);
    expect(states.map((s) => s.data)).toContain('two');
  });

  it('tells nothing when a load starts while one is on its way with the same data', async () => {
    const { query, states, last } = recorder();
    const typed = [later<string>(), later<string>(), later<string>()];
    const runs = typed.map((t) => query.run(() => t.promise));
    expect(states).toEqual([{ data: undefined, error: null, loading: true }]);
    typed[2].resolve('huong dan');
    await runs[2];
    expect(last()).toEqual({ data: 'huong dan', error: null, loading: false });
    expect(states).toHaveLength(2);
    // A fresh load forgets the data: that is a change, and is told.
    const fresh = later<string>();
    const run = query.run(() => fresh.promise, true);
    expect(last()).toEqual({ data: undefined, error: null, loading: true });
    fresh.resolve('x');
    await run;
    typed.slice(0, 2).forEach((t) => t.resolve('old'));
    await Promise.all(runs);
    expect(last().data).toBe('x');
  });

  it('drops answers after a reset (nothing to load, page gone)', async () => {
    const { query, last } = recorder();
    const slow = later<string>();
    const run = query.run(() => slow.promise, true);
    query.reset();
    slow.resolve('late');
    await run;
    expect(last()).toEqual({ data: undefined, error: null, loading: false });
  });
});
