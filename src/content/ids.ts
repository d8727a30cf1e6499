/**
 * Deterministic identifiers. A published uuid must never change, so the namespace below and the
 * name formats are frozen: changing either would re-key every entity that LMSs have stored.
 */
import { v5 as uuidv5 } from 'uuid'

/** The project's UUIDv5 namespace. Frozen; see above. */
export const ID_NAMESPACE = '9dd1b300-cf32-4d98-99d0-6d9c34186e72'

/** The uuid of an entity (principle, competency, activity, …): `framework:entityId`. */
export function entityUuid (framework: string, entityId: string): string {
  return uuidv5(`${framework}:${entityId}`, ID_NAMESPACE)
}

/** The uuid of a framework as a whole, independent of its versions. */
export function frameworkUuid (framework: string): string {
  return uuidv5(framework, ID_NAMESPACE)
}

/** The uuid of one version of a framework: `framework@version`. */
export function versionUuid (framework: string, version: string): string {
  return uuidv5(`${framework}@${version}`, ID_NAMESPACE)
}
