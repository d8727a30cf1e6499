/**
 * A version as one document in the canonical seed format (what `seeds/<framework>/<version>/`
 * holds, one property per file), rebuilt from the repository's records. Optional seed properties
 * that the records hold as empty or null are left out, as the seeds leave them out.
 */
import type { TSchema } from '@sinclair/typebox'
import type { VersionRecord, VersionRecords } from '../content/model.js'
import { Competency, seedFiles, type CompetencySeed, type VersionSeed } from '../content/schema.js'
import { mapSteps, runYielding } from '../catalog/steps.js'

/**
 * A value with its objects' keys in the order the schema serializer (fast-json-stringify) writes
 * them: the schema's required properties first, then its optional ones, each group in schema
 * order; keys the schema does not name are dropped, as the serializer drops them.
 */
function inSerializerOrder (schema: TSchema, value: unknown): unknown {
  if (Array.isArray(value)) return schema.items === undefined ? value : value.map((v: unknown) => inSerializerOrder(schema.items as TSchema, v))
  if (value === null || typeof value !== 'object' || schema.properties === undefined) return value
  const required = new Set<string>(schema.required as string[] | undefined ?? [])
  const keys = Object.keys(schema.properties as object)
  const out: Record<string, unknown> = {}
  for (const key of [...keys.filter((k) => required.has(k)), ...keys.filter((k) => !required.has(k))]) {
    const v = (value as Record<string, unknown>)[key]
    if (v !== undefined) out[key] = inSerializerOrder((schema.properties as Record<string, TSchema>)[key]!, v)
  }
  return out
}

/**
 * The export's JSON: the bytes the route's schema serializer gives for it (a test checks), made
 * one competency at a time with the event loop given back to other requests in between, since the
 * export of a framework of 10,000 key activities is some 3 MB of JSON.
 */
export async function exportJson (doc: VersionSeed): Promise<string> {
  const competencies = await runYielding(mapSteps(doc.competencies, (c) => JSON.stringify(inSerializerOrder(Competency, c)), 1))
  const part = (name: Exclude<keyof VersionSeed, 'competencies'>): string =>
    `${JSON.stringify(name)}:${JSON.stringify(inSerializerOrder(seedFiles[`${name}.json`], doc[name]))}`
  // The export schema's properties are all required, in seed file order.
  return `{${part('framework')},${part('principles')},${part('domains')},"competencies":[${competencies.join(',')}],` +
    `${part('definitions')},${part('questions')},${part('dilemmas')},${part('resources')}}`
}

/** The seed-shaped document of a version. */
export function exportDocument (v: VersionRecord, r: VersionRecords): VersionSeed {
  const activitiesOf = new Map<string, CompetencySeed['activities']>()
  for (const a of r.activity) {
    const list = activitiesOf.get(a.competency) ?? []
    list.push({
      id: a.id,
      code: a.code,
      text: a.text,
      ...(a.subpoints.length === 0 ? {} : { subpoints: a.subpoints.map((s) => ({ id: s.id, code: s.code, text: s.text })) })
    })
    activitiesOf.set(a.competency, list)
  }
  const hintOf = new Map(r.hint.map((h) => [h.competency, h]))

  return {
    framework: v.meta,
    principles: r.principle.map((p) => ({ id: p.id, code: p.code, name: p.name, description: p.description })),
    domains: r.domain.map((d) => ({ id: d.id, code: d.code, name: d.name, description: d.description })),
    competencies: r.competency.map((c) => {
      const hint = hintOf.get(c.id)
      if (hint === undefined) throw new Error(`content database is inconsistent: competency ${c.id} has no hint`)
      return {
        id: c.id,
        code: c.code,
        domain: c.domain,
        name: c.name,
        overview: c.overview,
        activities: activitiesOf.get(c.id) ?? [],
        hint: { id: hint.id, code: hint.code, paragraphs: hint.paragraphs }
      }
    }),
    definitions: r.definition.map((d) => ({
      id: d.id, code: d.code, term: d.term, text: d.text, ...(d.otherNames.length === 0 ? {} : { otherNames: d.otherNames })
    })),
    questions: r.question.map((q) => ({
      id: q.id, code: q.code, text: q.text, ...(q.subquestions.length === 0 ? {} : { subquestions: q.subquestions })
    })),
    dilemmas: {
      introduction: v.dilemmasIntroduction,
      dilemmas: r.dilemma.map((d) => ({ id: d.id, code: d.code, text: d.text })),
      ...(v.dilemmasConclusion === null ? {} : { conclusion: v.dilemmasConclusion })
    },
    resources: {
      introduction: v.resourcesIntroduction,
      groups: r.groups.map((g) => ({
        id: g.id,
        ...(g.title === null ? {} : { title: g.title }),
        ...(g.note === null ? {} : { note: g.note }),
        resources: r.resource.filter((x) => x.group === g.id).map((x) => ({
          id: x.id,
          code: x.code,
          kind: x.kind,
          text: x.text,
          ...(x.url === null ? {} : { url: x.url }),
          ...(x.doi === null ? {} : { doi: x.doi })
        }))
      }))
    }
  }
}
