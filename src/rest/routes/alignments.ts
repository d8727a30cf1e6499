/**
 * Open Badges 3.0 alignments of competencies and key activities: REST resources like the others
 * (validation, problem+json, ETag/304, caching for pinned and `latest` versions), whose bodies the
 * formats render (formats/alignment.ts) from their view of the version.
 */
import type { FastifyInstance } from 'fastify'
import { Type } from '@sinclair/typebox'
import type { ActivityRecord, CompetencyRecord } from '../../content/model.js'
import { Alignment, alignment } from '../../formats/alignment.js'
import type { VersionIndex } from '../../catalog/version-index.js'
import { notFound } from '../../web/problem.js'
import { defineGet, type RestContext } from '../route.js'
import { VersionParams, ref, slugOrCodePattern } from '../../web/schemas/common.js'

interface Aligned {
  collection: 'competencies' | 'activities'
  singular: string
  operationId: string
  tag: string
  example: string
  records: (view: VersionIndex) => ReadonlyArray<CompetencyRecord | ActivityRecord>
}

const aligned: Aligned[] = [
  { collection: 'competencies', singular: 'competency', operationId: 'getCompetencyAlignment', tag: 'formats', example: 'co-learning', records: (view) => view.competencies },
  { collection: 'activities', singular: 'key activity', operationId: 'getActivityAlignment', tag: 'formats', example: 'C01.A03', records: (view) => view.activities }
]

/** Registers the alignment route of each aligned kind. */
export function registerAlignments (app: FastifyInstance, ctx: RestContext): void {
  for (const kind of aligned) {
    defineGet(app, ctx, {
      url: `/frameworks/:framework/:version/${kind.collection}/:id/alignment`,
      operationId: kind.operationId,
      summary: `An Open Badges 3.0 Alignment to a ${kind.singular}`,
      description: `A ready-to-paste OB 3.0 / CLR 2.0 \`Alignment\` whose \`targetUrl\` is the ${kind.singular}'s CASE URI (it resolves, and gives the CFItem with \`?format=case\`).`,
      tags: [kind.tag],
      params: Type.Object({
        ...VersionParams.properties,
        id: Type.String({ pattern: slugOrCodePattern, maxLength: 120, description: `The ${kind.singular}'s slug id or its code.`, examples: [kind.example] })
      }, { additionalProperties: false }),
      response: ref(Alignment),
      headers: { contentLocation: true },
      build: (request) => {
        const { framework, version, id } = request.params
        const rendered = ctx.rendered(framework, version)
        const view = rendered.index
        const record = kind.records(view).find((r) => r.id === id || r.code === id)
        if (record === undefined) {
          const where = `${rendered.version.framework} ${rendered.version.number}`
          throw notFound(`There is no ${kind.singular} "${id}" in ${where}.`, [{ in: 'path', name: 'id', message: `no ${kind.singular} with the id or code "${id}" in ${where}` }])
        }
        return { view: alignment(view, record, app.formats.baseUrl), immutable: version !== 'latest', rendered: rendered }
      }
    })
  }
}
