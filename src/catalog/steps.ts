/**
 * Work done in steps. Building a large version (its records, identities and views: some 10,000
 * entities in the bench's scale framework) takes a few hundred milliseconds of CPU. Written as a
 * generator that yields between slices, the same code runs at once when a request needs the
 * result now (`runNow`), or in slices that give the event loop back to other requests in between
 * (`runYielding`), as the background warm-up after listen does.
 */

/** A computation that yields (nothing) between slices of its work and returns its result. */
export type Steps<T> = Generator<undefined, T, undefined>

/** Entities processed between two yields. */
export const SLICE = 500

/** Runs every step now and returns the result. */
export function runNow<T> (steps: Steps<T>): T {
  for (;;) {
    const next = steps.next()
    if (next.done === true) return next.value
  }
}

/** Runs the steps, giving the event loop back (setImmediate) whenever a slice has taken `sliceMs`. */
export async function runYielding<T> (steps: Steps<T>, sliceMs = 4): Promise<T> {
  let started = performance.now()
  for (;;) {
    const next = steps.next()
    if (next.done === true) return next.value
    if (performance.now() - started >= sliceMs) {
      await new Promise<void>((resolve) => setImmediate(resolve))
      started = performance.now()
    }
  }
}

/** Maps items in slices of `every` (default SLICE), yielding between them. */
export function * mapSteps<T, U> (items: readonly T[], f: (item: T) => U, every = SLICE): Steps<U[]> {
  const out: U[] = new Array<U>(items.length)
  for (let i = 0; i < items.length; i++) {
    out[i] = f(items[i]!)
    if (i % every === every - 1) yield
  }
  return out
}
