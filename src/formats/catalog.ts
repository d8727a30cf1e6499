/**
 * The published forms of the (immutable) catalog, computed once per app and kept: each version's
 * CASE packages with lookup tables, and an index of every identifier the formats publish.
 */
import type { VersionRecord } from '../content/model.js'
import type { Catalog } from '../catalog/catalog.js'
import { casePackage, standaloneAssociation, standaloneDocument, standaloneItem } from './case.js'
import type {
  CaseVersion, CFAssociation, CFConcept, CFDocument, CFItem, CFItemType, CFPackage, CFPckgAssociation, CFPckgItem
} from './case-schemas.js'

/** A CFPackage with its parts by identifier. */
export interface IndexedPackage {
  version: VersionRecord
  package: CFPackage
  items: ReadonlyMap<string, CFPckgItem>
  associations: ReadonlyMap<string, CFPckgAssociation>
  itemTypes: ReadonlyMap<string, CFItemType>
  concepts: ReadonlyMap<string, CFConcept>
}

export type PublishedKind = 'document' | 'item' | 'association' | 'itemType' | 'concept'

/** What a published identifier names, in the newest version that publishes it. */
export interface Published {
  kind: PublishedKind
  version: VersionRecord
  /** For items and concepts: the entity whose text it identifies. */
  entityUuid?: string
}

/** A published CASE object as its own endpoint serves it, with the package that publishes it. */
export type CaseObject = { pkg: IndexedPackage } & (
  | { kind: 'document', object: CFDocument }
  | { kind: 'item', object: CFItem }
  | { kind: 'association', object: CFAssociation }
  | { kind: 'itemType', object: CFItemType }
  | { kind: 'concept', object: CFConcept }
)

function byIdentifier<T extends { identifier: string }> (list: readonly T[] | undefined): Map<string, T> {
  return new Map((list ?? []).map((x) => [x.identifier, x]))
}

export class FormatCatalog {
  private readonly packages = new Map<string, IndexedPackage>()
  private index: Map<string, Published> | null = null

  constructor (readonly catalog: Catalog, readonly baseUrl: string) {}

  /** A version's CFPackage in one CASE version, with lookup tables. */
  casePackage (version: VersionRecord, caseVersion: CaseVersion): IndexedPackage {
    const key = `${version.vkey}:${caseVersion}`
    let indexed = this.packages.get(key)
    if (indexed === undefined) {
      const history = this.catalog.history(version.framework)
      const at = history.findIndex((v) => v.version.vkey === version.vkey)
      const pkg = casePackage(history.slice(0, at + 1), { baseUrl: this.baseUrl, caseVersion })
      indexed = {
        version,
        package: pkg,
        items: byIdentifier(pkg.CFItems),
        associations: byIdentifier(pkg.CFAssociations),
        itemTypes: byIdentifier(pkg.CFDefinitions?.CFItemTypes),
        concepts: byIdentifier(pkg.CFDefinitions?.CFConcepts)
      }
      this.packages.set(key, indexed)
    }
    return indexed
  }

  /** What a published identifier (any case) names, or undefined. */
  lookup (identifier: string): Published | undefined {
    return this.publishedIndex().get(identifier.toLowerCase())
  }

  /** The CASE object (in `caseVersion`'s form) a published identifier names, from the newest version publishing it. */
  caseObject (identifier: string, caseVersion: CaseVersion): CaseObject | undefined {
    const id = identifier.toLowerCase()
    const found = this.lookup(id)
    if (found === undefined) return undefined
    const pkg = this.casePackage(found.version, caseVersion)
    const document = pkg.package.CFDocument
    const options = { baseUrl: this.baseUrl, caseVersion }
    const get = <T>(map: ReadonlyMap<string, T>): T => map.get(id) as T
    switch (found.kind) {
      case 'document': return { pkg, kind: 'document', object: standaloneDocument(document, options) }
      case 'item': return { pkg, kind: 'item', object: standaloneItem(get(pkg.items), document) }
      case 'association': return { pkg, kind: 'association', object: standaloneAssociation(get(pkg.associations), document) }
      case 'itemType': return { pkg, kind: 'itemType', object: get(pkg.itemTypes) }
      case 'concept': return { pkg, kind: 'concept', object: get(pkg.concepts) }
    }
  }

  private publishedIndex (): Map<string, Published> {
    if (this.index !== null) return this.index
    const index = new Map<string, Published>()
    const add = (id: string, entry: Published): void => {
      if (!index.has(id)) index.set(id, entry)
    }
    // Newest versions first, so an identifier maps to the newest version that publishes it.
    for (const version of this.catalog.versions()) {
      const view = this.catalog.index(version)
      const pkg = this.casePackage(version, '1.1')
      add(version.uuid, { kind: 'document', version })
      const entities = new Map([...view.revisions].map(([entityUuid, r]) => [r.identifier, entityUuid]))
      for (const id of pkg.items.keys()) add(id, { kind: 'item', version, entityUuid: entities.get(id) as string })
      for (const id of pkg.concepts.keys()) add(id, { kind: 'concept', version, entityUuid: entities.get(id) as string })
      for (const id of pkg.associations.keys()) add(id, { kind: 'association', version })
      for (const id of pkg.itemTypes.keys()) add(id, { kind: 'itemType', version })
    }
    this.index = index
    return index
  }

  /**
   * The associations of an item: those of the version that serves it (the newest that publishes
   * it) with the item at either end, and the replacedBy associations of any version that do.
   */
  associationsOf (identifier: string, served: VersionRecord, caseVersion: CaseVersion): CFPckgAssociation[] {
    const touches = (a: CFPckgAssociation): boolean => a.originNodeURI.identifier === identifier || a.destinationNodeURI.identifier === identifier
    const found = new Map<string, CFPckgAssociation>()
    for (const a of this.casePackage(served, caseVersion).associations.values()) if (touches(a)) found.set(a.identifier, a)
    for (const version of this.catalog.versions()) {
      if (version.framework !== served.framework) continue
      for (const a of this.casePackage(version, caseVersion).associations.values()) {
        if (a.associationType === 'replacedBy' && touches(a)) found.set(a.identifier, a)
      }
    }
    return [...found.values()]
  }
}
