/**
 * A version as one document in the canonical seed format (what `seeds/<framework>/<version>/`
 * holds, one property per file), rebuilt from the repository's records. Optional seed properties
 * that the records hold as empty or null are left out, as the seeds leave them out.
 */
import type { VersionRecord, VersionRecords } from '../content/model.js'
import type { CompetencySeed, VersionSeed } from '../content/schema.js'

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
