/**
 * A cache bounded in bytes, keys included, that a flood of one-off keys cannot empty of its hot set.
 *
 * Segmented LRU (SLRU): a new entry goes into a probation segment; a second hit promotes it into a
 * protected segment that holds at most `protectedShare` of the bytes. Probation holds at most
 * `probationShare` of them: a stream of distinct keys (search terms, GraphQL variables, junk
 * Accept headers) only ever churns probation, so it can neither push out what clients ask for
 * repeatedly nor grow memory past that share while the protected segment is small.
 *
 * One accounting: an entry costs its key (two bytes a character: V8 may store it as UTF-16), its
 * value's bytes as the owner reports them (bodies, secondary keys), and a fixed overhead for the
 * map slots and objects around it. Keys over `maxKeyBytes` and entries over `maxEntryBytes` are
 * declined, not stored: the caller answers them uncached.
 */

/** Bytes charged per entry beyond its key and value: map slots, the entry record, small headers. */
export const ENTRY_OVERHEAD = 256

/** What a key costs: two bytes a character, the worst case of V8's string storage. */
export const keyBytes = (key: string): number => key.length * 2

export interface ByteCacheLimits {
  /** Total bytes, keys, values and overheads together. */
  maxBytes: number
  /** Largest single entry (key, value and overhead); larger ones are declined. */
  maxEntryBytes: number
  /** Longest key, in accounted bytes (two a character); longer ones are declined. */
  maxKeyBytes: number
  /** Share of maxBytes the protected (hit more than once) segment may hold; 0.8 by default. */
  protectedShare?: number
  /**
   * Share of maxBytes that entries seen once may hold; 0.2 by default (as Caffeine's W-TinyLFU
   * sizes its probation), never less than one maxEntryBytes entry.
   */
  probationShare?: number
}

interface Slot<V> { value: V, bytes: number, protected: boolean }

export class ByteCache<V> {
  private readonly probation = new Map<string, Slot<V>>()
  private readonly protectedSet = new Map<string, Slot<V>>()
  private total = 0
  private protectedBytes = 0
  private readonly probationCap: number
  /** Entries declined for size since start: a sign the limits are too tight (or an attack). */
  declined = 0

  constructor (readonly limits: ByteCacheLimits, private readonly onEvict?: (key: string, value: V) => void) {
    this.probationCap = Math.max(limits.maxBytes * (limits.probationShare ?? 0.2), limits.maxEntryBytes)
  }

  /** The entry's value, counting the hit: a second hit promotes it to the protected segment. */
  get (key: string): V | undefined {
    const hot = this.protectedSet.get(key)
    if (hot !== undefined) {
      this.protectedSet.delete(key)
      this.protectedSet.set(key, hot)
      return hot.value
    }
    const slot = this.probation.get(key)
    if (slot === undefined) return undefined
    this.probation.delete(key)
    slot.protected = true
    this.protectedSet.set(key, slot)
    this.protectedBytes += slot.bytes
    this.demote()
    return slot.value
  }

  /** The value without counting a hit. */
  peek (key: string): V | undefined {
    return (this.protectedSet.get(key) ?? this.probation.get(key))?.value
  }

  /** The bytes an entry of this key and value size would be charged. */
  cost (key: string, valueBytes: number): number {
    return keyBytes(key) + valueBytes + ENTRY_OVERHEAD
  }

  /** Stores a value of `valueBytes` bytes under `key`; false (and nothing evicted) when it is too big. */
  set (key: string, value: V, valueBytes: number): boolean {
    const bytes = this.cost(key, valueBytes)
    if (keyBytes(key) > this.limits.maxKeyBytes || bytes > this.limits.maxEntryBytes || bytes > this.limits.maxBytes) {
      this.declined++
      return false
    }
    this.delete(key)
    this.probation.set(key, { value, bytes, protected: false })
    this.total += bytes
    this.evict()
    return true
  }

  /**
   * Charges (or refunds) an entry for bytes added to (or dropped from) its value, e.g. a compressed
   * variant or a secondary key. False when the entry is absent or would grow past maxEntryBytes.
   */
  resize (key: string, delta: number): boolean {
    const slot = this.protectedSet.get(key) ?? this.probation.get(key)
    if (slot === undefined || slot.bytes + delta > this.limits.maxEntryBytes) return false
    slot.bytes += delta
    this.total += delta
    if (slot.protected) this.protectedBytes += delta
    this.demote()
    this.evict()
    return true
  }

  delete (key: string): void {
    const slot = this.protectedSet.get(key) ?? this.probation.get(key)
    if (slot === undefined) return
    this.remove(key, slot)
  }

  get size (): number {
    return this.probation.size + this.protectedSet.size
  }

  get bytes (): number {
    return this.total
  }

  stats (): { entries: number, bytes: number, protected: number, protectedBytes: number, declined: number } {
    return { entries: this.size, bytes: this.total, protected: this.protectedSet.size, protectedBytes: this.protectedBytes, declined: this.declined }
  }

  private remove (key: string, slot: Slot<V>): void {
    if (slot.protected) {
      this.protectedSet.delete(key)
      this.protectedBytes -= slot.bytes
    } else {
      this.probation.delete(key)
    }
    this.total -= slot.bytes
    this.onEvict?.(key, slot.value)
  }

  /** Keeps the protected segment within its share: its oldest go back to probation, newest first there. */
  private demote (): void {
    const cap = this.limits.maxBytes * (this.limits.protectedShare ?? 0.8)
    for (const [key, slot] of this.protectedSet) {
      if (this.protectedBytes <= cap) break
      this.protectedSet.delete(key)
      this.protectedBytes -= slot.bytes
      slot.protected = false
      this.probation.set(key, slot)
    }
  }

  /**
   * Over budget, or probation over its share: the oldest probation entries go, then (only if
   * probation is empty) the oldest protected.
   */
  private evict (): void {
    while (this.total > this.limits.maxBytes || this.total - this.protectedBytes > this.probationCap) {
      const [key, slot] = this.probation.entries().next().value ?? this.protectedSet.entries().next().value ?? []
      if (key === undefined || slot === undefined) return
      this.remove(key, slot)
    }
  }
}
