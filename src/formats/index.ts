/**
 * Interoperability formats: the CASE 1.0 and 1.1 providers (/ims/case/v1p0, /ims/case/v1p1, each
 * with its own imsx_StatusInfo error handling), the URI resolver (/uri/{uuid}), the JSON-LD
 * contexts (/contexts/…) and the OB3 alignment endpoints. Shares the derived forms as
 * `app.formats`, so other routes (REST content negotiation) can serve JSON-LD and CSV from them.
 */
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { Type } from '@sinclair/typebox'
import { publicUrl, type Config } from '../config.js'
import type { ActivityRecord, CompetencyRecord, VersionRecord } from '../content/model.js'
import { alignment, Alignment } from './alignment.js'
import { FrameworkParam, VersionParam } from '../http/schemas/common.js'
import { FormatCatalog } from './catalog.js'
import caseRoutes from './case-routes.js'
import { caseSegment, caseVersions } from './case-schemas.js'
import { JSON_LD, jsonLdProfiles, type JsonLdProfile } from './jsonld.js'
import resolver, { httpError } from './resolver.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** The export formats' derived content: version views, CASE packages, published identifiers. */
    formats: FormatCatalog
  }
}

const AlignmentParams = Type.Object({
  framework: FrameworkParam,
  version: VersionParam,
  id: Type.String({ maxLength: 120, description: 'The slug id (e.g. `co-learning`) or code (e.g. `C01`).', examples: ['co-learning'] })
})

function alignmentRoutes (app: FastifyInstance, catalog: FormatCatalog): void {
  const versionOf = (framework: string, number: string): VersionRecord => {
    const version = app.repo.version(framework, number)
    if (version === undefined) throw httpError(404, `Unknown framework version ${framework}@${number}`)
    return version
  }
  const find = <T extends CompetencyRecord | ActivityRecord>(list: readonly T[], id: string, what: string): T => {
    const record = list.find((r) => r.id === id || r.code === id)
    if (record === undefined) throw httpError(404, `Unknown ${what} ${id}`)
    return record
  }
  const routes = [
    { path: 'competencies', what: 'competency', operationId: 'getCompetencyAlignment', list: (c: FormatCatalog, v: VersionRecord) => c.view(v).content.competencies },
    { path: 'activities', what: 'key activity', operationId: 'getActivityAlignment', list: (c: FormatCatalog, v: VersionRecord) => c.view(v).content.activities }
  ] as const
  for (const route of routes) {
    app.get(`/v1/frameworks/:framework/:version/${route.path}/:id/alignment`, {
      schema: {
        operationId: route.operationId,
        summary: `An Open Badges 3.0 Alignment to a ${route.what}`,
        description: `A ready-to-paste OB 3.0 / CLR 2.0 \`Alignment\` whose \`targetUrl\` is the ${route.what}'s CASE URI.`,
        tags: ['formats'],
        params: AlignmentParams,
        response: { 200: Alignment }
      }
    }, async (request) => {
      const { framework, version, id } = request.params as { framework: string, version: string, id: string }
      const v = versionOf(framework, version)
      const list: ReadonlyArray<CompetencyRecord | ActivityRecord> = route.list(catalog, v)
      return alignment(catalog.view(v), find(list, id, route.what), catalog.baseUrl)
    })
  }
}

export default fp<{ config: Config }>(async (app, { config }) => {
  const catalog = new FormatCatalog(app.repo, publicUrl(config))
  app.decorate('formats', catalog)

  for (const caseVersion of caseVersions) {
    await app.register(caseRoutes, { prefix: `/ims/case/${caseSegment(caseVersion)}`, caseVersion, catalog })
  }
  await app.register(resolver, { catalog })

  const contextOperations = { ctdl: 'getCtdlAsnContext', 'schema.org': 'getSchemaOrgContext' } as const
  for (const [key, profile] of Object.entries(jsonLdProfiles) as Array<[JsonLdProfile, typeof jsonLdProfiles[JsonLdProfile]]>) {
    const body = JSON.stringify(profile.context)
    app.get(profile.contextPath, {
      schema: {
        operationId: contextOperations[key],
        summary: `The JSON-LD context of the ${profile.iri} profile`,
        tags: ['formats'],
        response: { 200: Type.Object({}, { additionalProperties: true, description: 'A JSON-LD context.' }) }
      }
    }, async (_request, reply) => reply.type(JSON_LD).header('Cache-Control', 'public, max-age=86400').send(body))
  }

  alignmentRoutes(app, catalog)
}, { name: 'formats', dependencies: ['repository'] })
