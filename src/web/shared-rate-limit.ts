/**
 * One rate limit across replicas: with REDIS_URL set, @fastify/rate-limit's counters live in Redis
 * (the plugin's own RedisStore and its Lua script), so N replicas allow one budget, not N.
 * Redis is a convenience, not a dependency of answering: while it cannot be reached, each process
 * counts in its own memory (the plugin's LocalStore) and says so once in the log, and when Redis
 * is back the shared counters take over again. A request never waits for a Redis that is down
 * (no offline queue) and at most COMMAND_TIMEOUT for one that hangs, and never fails because of it.
 */
import { createRequire } from 'node:module'
import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit'
import type { FastifyBaseLogger } from 'fastify'
import { Redis } from 'ioredis'

/** What @fastify/rate-limit's stores return for a key. */
export interface Count { current: number, ttl: number }
/** How the plugin's own stores answer: an error and null, or no error and the count. */
type Callback = (err: Error | null, result?: Count | null) => void
type PluginCallback = Parameters<FastifyRateLimitStore['incr']>[1]
type RouteOptions = Parameters<FastifyRateLimitStore['child']>[0]

/** The store interface @fastify/rate-limit calls (its README's "Custom stores"). */
export interface RateLimitStore {
  incr: (key: string, cb: Callback, timeWindow: number, max: number) => void
  read: (key: string, cb: Callback, timeWindow: number, max: number) => void
  child: (routeOptions: StoreOptions) => RateLimitStore
}

/** The merged options the plugin hands a store and its children. */
export interface StoreOptions {
  continueExceeding?: boolean
  exponentialBackoff?: boolean
  cache?: number
  routeInfo?: { method?: string | string[], url?: string }
}

type StoreClass = new (continueExceeding: boolean | undefined, exponentialBackoff: boolean | undefined, ...rest: unknown[]) => RateLimitStore

// The plugin's own stores, so counting (the window, continueExceeding, the Lua script) is the
// plugin's, shared or not. The package has no `exports` map; these files are its public stores.
const requirePlugin = createRequire(createRequire(import.meta.url).resolve('@fastify/rate-limit'))
const RedisStore = requirePlugin('./store/RedisStore.js') as StoreClass
const LocalStore = requirePlugin('./store/LocalStore.js') as StoreClass

/** Milliseconds a rate-limit command may take before the request is counted locally instead. */
export const COMMAND_TIMEOUT = 250

/** The Redis connection for the counters: fails fast instead of queueing while disconnected, and keeps reconnecting. */
export function connectRedis (url: string): Redis {
  return new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 1000,
    commandTimeout: COMMAND_TIMEOUT,
    // Reconnect every second at most, forever: the limit goes back to shared as soon as Redis does.
    retryStrategy: (times) => Math.min(times * 100, 1000),
    lazyConnect: false
  })
}

/** Whether the counters are shared right now; the log says when that changes. */
class Mode {
  private shared = true
  constructor (private readonly log: FastifyBaseLogger) {}

  fellBack (err: unknown): void {
    if (!this.shared) return
    this.shared = false
    this.log.warn({ err }, 'rate limit: Redis is unreachable; counting per process until it is back (each replica allows the full budget)')
  }

  recovered (): void {
    if (this.shared) return
    this.shared = true
    this.log.info('rate limit: Redis is back; counters are shared across replicas again')
  }
}

class SharedStore implements RateLimitStore {
  constructor (
    private readonly redis: Redis,
    private readonly shared: RateLimitStore,
    private readonly local: RateLimitStore,
    private readonly mode: Mode
  ) {}

  incr (key: string, cb: Callback, timeWindow: number, max: number): void {
    this.use('incr', key, cb, timeWindow, max)
  }

  read (key: string, cb: Callback, timeWindow: number, max: number): void {
    this.use('read', key, cb, timeWindow, max)
  }

  child (routeOptions: StoreOptions): RateLimitStore {
    return new SharedStore(this.redis, this.shared.child(routeOptions), this.local.child(routeOptions), this.mode)
  }

  private use (method: 'incr' | 'read', key: string, cb: Callback, timeWindow: number, max: number): void {
    const local = (): void => { this.local[method](key, cb, timeWindow, max) }
    // Not connected: do not even try (the command would be refused at once anyway).
    if (this.redis.status !== 'ready') {
      this.mode.fellBack(new Error(`Redis connection is ${this.redis.status}`))
      local()
      return
    }
    this.shared[method](key, (err, result) => {
      if (err !== null || result === undefined || result === null) {
        this.mode.fellBack(err)
        local()
        return
      }
      this.mode.recovered()
      cb(null, result)
    }, timeWindow, max)
  }
}

/**
 * The `store` option of @fastify/rate-limit: counters in Redis under `prefix`, in this process's
 * memory while Redis cannot be reached. The plugin constructs it with its merged options.
 */
export function sharedStore (redis: Redis, log: FastifyBaseLogger, prefix: string): FastifyRateLimitStoreCtor {
  const mode = new Mode(log)
  return class implements FastifyRateLimitStore {
    private readonly store: RateLimitStore
    constructor (options: StoreOptions) {
      this.store = new SharedStore(
        redis,
        new RedisStore(options.continueExceeding, options.exponentialBackoff, redis, prefix),
        new LocalStore(options.continueExceeding, options.exponentialBackoff, options.cache),
        mode
      )
    }

    incr (key: string, cb: PluginCallback, timeWindow: number, max: number): void {
      this.store.incr(key, (err, result) => { cb(err, result ?? undefined) }, timeWindow, max)
    }

    read (key: string, cb: PluginCallback, timeWindow: number, max: number): void {
      this.store.read(key, (err, result) => { cb(err, result ?? undefined) }, timeWindow, max)
    }

    child (routeOptions: RouteOptions): FastifyRateLimitStore {
      return this.store.child(routeOptions as StoreOptions) as unknown as FastifyRateLimitStore
    }
  }
}
