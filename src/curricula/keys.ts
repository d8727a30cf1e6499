/**
 * API keys: `ispk_<prefix>_<secret>`, 12 hex characters of public prefix (shown in listings, used
 * to find the key's row) and 32 random bytes of secret. Only the sha256 of the whole key is
 * stored: the key has 256 bits of entropy, so a slow password hash would add nothing. Hashes are
 * compared in constant time.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { ApiKeyRecord, CurriculaRepository, Scope } from './store/repository.js'

const KEY = /^ispk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/

/** sha256 of a key, hex. */
export const hashKey = (key: string): string => createHash('sha256').update(key).digest('hex')

/** A new key, its prefix and its hash. */
export function generateKey (): { key: string, prefix: string, hash: string } {
  const prefix = randomBytes(6).toString('hex')
  const key = `ispk_${prefix}_${randomBytes(32).toString('base64url')}`
  return { key, prefix, hash: hashKey(key) }
}

/** The prefix of a well-formed key, else undefined. */
export function keyPrefix (key: string): string | undefined {
  return KEY.exec(key)?.[1]
}

/** Whether `key` hashes to `hash`, compared in constant time. */
export function matchesHash (key: string, hash: string): boolean {
  const given = Buffer.from(hashKey(key), 'hex')
  const stored = Buffer.from(hash, 'hex')
  return given.length === stored.length && timingSafeEqual(given, stored)
}

/** Creates a key for an institution; the key is returned once and never stored. */
export async function createKey (repo: CurriculaRepository, institutionId: string, scope: Scope): Promise<{ key: string, record: ApiKeyRecord }> {
  const { key, prefix, hash } = generateKey()
  return { key, record: await repo.addKey(institutionId, prefix, hash, scope) }
}

/** The live key record a presented key stands for, or undefined (malformed, unknown, wrong secret, revoked). */
export async function verifyKey (repo: CurriculaRepository, key: string): Promise<ApiKeyRecord | undefined> {
  const prefix = keyPrefix(key)
  if (prefix === undefined) return undefined
  const found = await repo.keyByPrefix(prefix)
  if (found === undefined || !matchesHash(key, found.hash) || found.revokedAt !== null) return undefined
  const { hash: _hash, ...record } = found
  return record
}
