/**
 * The CASE 1.0 and 1.1 providers (/ims/case/v1p0, /ims/case/v1p1), each under its own prefix
 * with its own imsx_StatusInfo error handling, rendered from `app.formats`.
 */
import fp from 'fastify-plugin'
import caseRoutes, { caseTag } from './routes.js'
import { caseSegment, caseVersions } from '../formats/case-schemas.js'
import { DiscoveryDocument } from './discovery.js'

/** The component schemas of the CASE routes beyond the CASE payloads (formats/case-schemas.ts). */
export const caseRouteSchemas = [DiscoveryDocument]

/** The tags of the CASE operations in the OpenAPI document, one per CASE version. */
export const caseTags = caseVersions.map((v) => ({
  name: caseTag(v),
  description: `The 1EdTech CASE ${v} provider at /ims/case/${caseSegment(v)}: the REST binding's read operations and its discovery document.`
}))

export default fp(async (app) => {
  for (const caseVersion of caseVersions) {
    await app.register(caseRoutes, { prefix: `/ims/case/${caseSegment(caseVersion)}`, caseVersion, catalog: app.formats })
  }
}, { name: 'case', dependencies: ['formats', 'openapi', 'http-cache'] })
