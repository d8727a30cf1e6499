/**
 * The version's export (GET /v1/frameworks/{framework}/{version}/export, the seed format) reshaped
 * into the flat collections json-server 0.17 serves: each entity once, children pointing at their
 * parent by `<parent>Id` so `_embed` and filters such as `?domainId=` work the json-server way.
 */

type Json = Record<string, unknown>

interface ExportCompetency extends Json {
  id: string
  domain: string
  activities: Json[]
  hint: Json
}

export interface ExportShape {
  principles: Json[]
  domains: Json[]
  competencies: ExportCompetency[]
  definitions: Json[]
  questions: Json[]
  dilemmas: { dilemmas: Json[] }
  resources: { groups: Array<{ id: string, resources: Json[] } & Json> }
}

/** json-server's database: one array per collection. */
export type JsonServerDb = Record<string, Json[]>

/** Shapes an export into json-server collections (competencies, activities, hints, …). */
export function jsonServerDb (exported: ExportShape): JsonServerDb {
  const competencies: Json[] = []
  const activities: Json[] = []
  const hints: Json[] = []
  for (const { activities: acts, hint, domain, ...competency } of exported.competencies) {
    competencies.push({ ...competency, domainId: domain })
    for (const a of acts) activities.push({ ...a, competencyId: competency.id, domainId: domain })
    hints.push({ ...hint, competencyId: competency.id, domainId: domain })
  }
  return {
    principles: exported.principles,
    domains: exported.domains,
    competencies,
    activities,
    hints,
    definitions: exported.definitions,
    questions: exported.questions,
    dilemmas: exported.dilemmas.dilemmas,
    resources: exported.resources.groups.flatMap(({ resources, ...group }) => resources.map((r) => ({ ...r, groupId: group.id })))
  }
}
