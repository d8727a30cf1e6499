/**
 * Building blocks shared by every REST resource schema: references to named components, the
 * identity every entity carries, request parameters and the list envelope.
 */
import { Type, type Static, type TSchema, type TUnsafe } from '@sinclair/typebox'

/** A `$ref` to a named component schema, typed as the schema it points to. */
export function ref<T extends TSchema> (schema: T): TUnsafe<Static<T>> {
  if (schema.$id === undefined) throw new Error('ref() needs a schema with an $id')
  return Type.Unsafe<Static<T>>(Type.Ref(schema.$id))
}

export const slugPattern = '^[a-z0-9]+(?:-[a-z0-9]+)*$'
/** A slug id (`co-learning`) or a code (`C01`, `C01.A02`). */
export const slugOrCodePattern = '^(?:[a-z0-9]+(?:-[a-z0-9]+)*|[A-Z][A-Z0-9]*(?:\\.[A-Z][A-Z0-9]*)*)$'
export const versionPattern = '^(?:latest|[0-9]+(?:\\.[0-9]+)*(?:-[0-9A-Za-z.-]+)?)$'

/** A slug path or query parameter. */
export const SlugParam = (description: string, example: string) =>
  Type.String({ pattern: slugPattern, maxLength: 120, description, examples: [example] })

export const FrameworkParam = SlugParam('Framework id, e.g. `isp`.', 'isp')
export const VersionParam = Type.String({
  pattern: versionPattern,
  maxLength: 64,
  description: 'A version number such as `1.1`, or `latest` for the newest version (short-lived caching, `Content-Location` names the pinned URL).',
  examples: ['1.1']
})

export const VersionParams = Type.Object({ framework: FrameworkParam, version: VersionParam }, { additionalProperties: false })
export const FrameworkParams = Type.Object({ framework: FrameworkParam }, { additionalProperties: false })

export const Href = (description: string) => Type.String({ format: 'uri', description })

/** The identity and provenance every entity carries, in this order. */
export function identity<T extends string> (type: T, example: { id: string, code: string }) {
  return {
    type: Type.Literal(type, { description: 'The kind of entity.' }),
    id: Type.String({ pattern: slugPattern, description: 'Stable slug identifier, unique within a version; never changes once published.', examples: [example.id] }),
    code: Type.String({ description: 'Stable short code from the guide\'s structure.', examples: [example.code] }),
    uuid: Type.String({ format: 'uuid', description: 'Deterministic UUIDv5 of `framework:id`; the same in every version.' }),
    framework: Type.String({ description: 'Framework id.', examples: ['isp'] }),
    version: Type.String({ description: 'The framework version this representation comes from.', examples: ['1.1'] }),
    uri: Href('Canonical URI, independent of the version: `{PUBLIC_URL}/uri/{uuid}`.'),
    href: Href('This API\'s URL for the entity, pinned to `version`.'),
    position: Type.Integer({ minimum: 1, description: '1-based position in guide order (for activities and sub-points, within their parent).' })
  }
}

/** Pagination links of a list page (absolute URLs); the same as the `Link` header. */
export const PageLinks = Type.Object({
  self: Href('This page.'),
  first: Href('The first page.'),
  prev: Type.Optional(Href('The previous page, unless this is the first.')),
  next: Type.Optional(Href('The next page, unless this is the last.')),
  last: Href('The last page.')
}, { $id: 'PageLinks', additionalProperties: false, description: 'Pagination links (RFC 8288 relations, also sent as the `Link` header).' })

export const ListMeta = Type.Object({
  framework: Type.Optional(Type.String({ description: 'Framework id, for lists within a version.' })),
  version: Type.Optional(Type.String({ description: 'The pinned version, for lists within a version.' })),
  total: Type.Integer({ minimum: 0, description: 'How many items match, over all pages.' }),
  limit: Type.Integer({ minimum: 1, maximum: 100, description: 'Page size.' }),
  offset: Type.Integer({ minimum: 0, description: 'How many matching items precede this page.' })
}, { $id: 'ListMeta', additionalProperties: false, description: 'Paging facts of a list.' })

/** An item of a list asked for with `fields=`: only the named properties, plus `type` and `id`. */
export const Sparse = Type.Object({
  type: Type.String({ description: 'The kind of entity.' }),
  id: Type.String({ description: 'Stable slug identifier.' })
}, { $id: 'Sparse', additionalProperties: true, description: 'An entity reduced to the properties named in `fields` (plus `type` and `id`, always kept).' })

/** The list envelope: `data` (full items, or sparse ones with `fields=`), `meta` and `links`. */
export function listOf<T extends TSchema> (item: T, $id: string, description: string) {
  return Type.Object({
    data: Type.Array(Type.Union([ref(item), ref(Sparse)]), { description: 'The items of this page.' }),
    meta: ref(ListMeta),
    links: ref(PageLinks)
  }, { $id, additionalProperties: false, description })
}
