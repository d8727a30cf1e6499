/**
 * The CASE provider over HTTP: every endpoint, the CFDocuments collection parameters and paging
 * headers, imsx_StatusInfo errors in each version's spelling, and the discovery documents.
 */
import t from 'tap'
import { Validator } from '@seriousme/openapi-schema-validator'
import type { FastifyInstance } from 'fastify'
import { entityUuid, versionUuid } from '../../src/content/ids.js'
import { buildApp } from '../helpers/app.js'

const v11 = versionUuid('isp', '1.1')
const v12 = versionUuid('isp', '1.2')
const uuid = (id: string): string => entityUuid('isp', id)
const unknownUuid = '00000000-0000-4000-8000-000000000000'

interface Documents { CFDocuments: Array<Record<string, unknown>> }

async function get (app: FastifyInstance, url: string) {
  const res = await app.inject({ url })
  return { status: res.statusCode, headers: res.headers, body: res.json() as Record<string, unknown> & Documents }
}

function statusInfo (minor: string, field: string) {
  return {
    imsx_codeMajor: 'failure',
    imsx_severity: 'error',
    imsx_description: String,
    imsx_codeMinor: { imsx_codeMinorField: [{ imsx_codeMinorFieldName: field, imsx_codeMinorFieldValue: minor }] }
  }
}

t.test('CFDocuments: one per version, with X-Total-Count and Link paging headers', async (t) => {
  const app = await buildApp(t, { fixtures: true })
  const all = await get(app, '/ims/case/v1p1/CFDocuments')
  t.equal(all.status, 200)
  t.equal(all.headers['x-total-count'], '2')
  t.same(all.body.CFDocuments.map((d) => d.identifier), [v12, v11], 'newest first by default')
  t.equal(all.headers.link, '<http://localhost:3000/ims/case/v1p1/CFDocuments?limit=100&offset=0>; rel="first", <http://localhost:3000/ims/case/v1p1/CFDocuments?limit=100&offset=0>; rel="last"')

  const first = await get(app, '/ims/case/v1p1/CFDocuments?limit=1')
  t.same(first.body.CFDocuments.map((d) => d.version), ['1.2'])
  t.equal(first.headers['x-total-count'], '2', 'the total counts every page')
  t.match(first.headers.link, /<http:\/\/localhost:3000\/ims\/case\/v1p1\/CFDocuments\?limit=1&offset=1>; rel="next"/)
  t.notMatch(first.headers.link, /rel="prev"/)
  const second = await get(app, '/ims/case/v1p1/CFDocuments?limit=1&offset=1&sort=title')
  t.same(second.body.CFDocuments.map((d) => d.version), ['1.1'])
  t.match(second.headers.link, /sort=title&limit=1&offset=0>; rel="prev"/)
  t.match(second.headers.link, /sort=title/, 'links keep the other parameters')
  t.notMatch(second.headers.link, /rel="next"/)
  const beyond = await get(app, '/ims/case/v1p1/CFDocuments?offset=5')
  t.same(beyond.body.CFDocuments, [], 'past the end: an empty page')
  t.equal(beyond.headers['x-total-count'], '2')
})

t.test('CFDocuments: sort, orderBy, filter and fields', async (t) => {
  const app = await buildApp(t, { fixtures: true })
  const versions = async (query: string): Promise<unknown[]> => (await get(app, `/ims/case/v1p1/CFDocuments?${query}`)).body.CFDocuments.map((d) => d.version)
  t.same(await versions('sort=version&orderBy=asc'), ['1.1', '1.2'])
  t.same(await versions('sort=version&orderBy=desc'), ['1.2', '1.1'])
  t.same(await versions('sort=lastChangeDateTime'), ['1.1', '1.2'])
  t.same(await versions('sort=noSuchField&orderBy=asc'), ['1.2', '1.1'], 'an unknown sort field keeps the default order')
  t.same(await versions(`filter=${encodeURIComponent('version=\'1.1\'')}`), ['1.1'])
  t.same(await versions(`filter=${encodeURIComponent('version!=\'1.1\'')}`), ['1.2'])
  t.same(await versions(`filter=${encodeURIComponent('title~\'PRACTICE GUIDE\'')}`), ['1.2', '1.1'], 'contains, case-insensitive')
  t.same(await versions(`filter=${encodeURIComponent('lastChangeDateTime>\'2022\'')}`), ['1.2'])
  t.same(await versions(`filter=${encodeURIComponent('version=\'1.1\' OR version=\'1.2\'')}`), ['1.2', '1.1'])
  t.same(await versions(`filter=${encodeURIComponent('version=\'1.1\' AND language=\'EN-gb\'')}`), ['1.1'])
  t.same(await versions(`filter=${encodeURIComponent('CFPackageURI.identifier=\'' + v11 + '\'')}`), ['1.1'], 'dot notation reaches nested fields')

  const picked = await get(app, '/ims/case/v1p1/CFDocuments?fields=identifier,version')
  t.same(picked.body.CFDocuments, [{ identifier: v12, version: '1.2' }, { identifier: v11, version: '1.1' }])
  const repeated = await get(app, '/ims/case/v1p1/CFDocuments?fields=identifier&fields=title')
  t.same(Object.keys(repeated.body.CFDocuments[0] ?? {}).sort(), ['identifier', 'title'])
  const unknown = await get(app, '/ims/case/v1p1/CFDocuments?fields=identifier,noSuchField')
  t.ok('creator' in (unknown.body.CFDocuments[0] ?? {}), 'a field the resource lacks means every field')
})

t.test('CFDocuments: unusable parameters are 400 invalid_selection_field', async (t) => {
  const app = await buildApp(t, { fixtures: true })
  const cases: Array<[string, string]> = [
    [`filter=${encodeURIComponent('noSuchField=\'x\'')}`, 'filter'],
    [`filter=${encodeURIComponent('version=1.1')}`, 'filter'],
    [`filter=${encodeURIComponent('version=\'1.1\' AND title~\'a\' OR version=\'1.2\'')}`, 'filter'],
    ['fields=', 'fields'],
    ['fields=identifier,,title', 'fields'],
    ['limit=0', 'limit'],
    ['offset=-1', 'offset'],
    ['orderBy=sideways', 'orderBy']
  ]
  for (const [query, field] of cases) {
    const res = await get(app, `/ims/case/v1p1/CFDocuments?${query}`)
    t.equal(res.status, 400, query)
    t.match(res.body, statusInfo('invalid_selection_field', field), query)
  }
})

t.test('documents, packages, items, associations, item types and concepts', async (t) => {
  const app = await buildApp(t, { fixtures: true })
  const doc = await get(app, `/ims/case/v1p1/CFDocuments/${v11}`)
  t.equal(doc.status, 200)
  t.match(doc.body, { identifier: v11, version: '1.1', CFPackageURI: { identifier: v11, uri: `http://localhost:3000/ims/case/v1p1/CFPackages/${v11}` } })
  const viaLink = await get(app, `/ims/case/v1p1/CFPackages/${v11}`)
  t.equal(viaLink.status, 200, 'CFPackageURI resolves')
  t.equal((viaLink.body.CFDocument as { identifier: string }).identifier, v11)
  t.equal((await get(app, `/ims/case/v1p1/CFDocuments/${v11.toUpperCase()}`)).status, 200, 'identifiers are case-insensitive')

  const item = await get(app, `/ims/case/v1p1/CFItems/${uuid('co-learning-a3')}`)
  t.match(item.body, { identifier: uuid('co-learning-a3'), humanCodingScheme: 'C01.A03', CFItemType: 'Key Activity', CFDocumentURI: { identifier: v12 } },
    'an unchanged item is served from the newest version')
  const old = await get(app, `/ims/case/v1p1/CFItems/${uuid('co-learning-a2')}`)
  t.match(old.body, { humanCodingScheme: 'C01.A02', fullStatement: 'Create spaces for new ideas to emerge.', CFDocumentURI: { identifier: v11 } },
    'a changed item\'s old identifier still serves its old text, from 1.1')
  const removed = await get(app, `/ims/case/v1p1/CFItems/${uuid('brokering-a7')}`)
  t.match(removed.body, { humanCodingScheme: 'C02.A07', CFDocumentURI: { identifier: v11 } }, 'a removed item is still served from 1.1')

  const withAssociations = await get(app, `/ims/case/v1p1/CFItemAssociations/${uuid('co-learning-a2')}`)
  const types = (withAssociations.body.CFAssociations as Array<{ associationType: string, originNodeURI: { identifier: string } }>).map((a) => a.associationType).sort()
  t.same(types, ['isChildOf', 'replacedBy'], 'the old text: its place in 1.1 and its replacement')
  const competency = await get(app, `/ims/case/v1p1/CFItemAssociations/${uuid('co-learning')}`)
  const count = (competency.body.CFAssociations as unknown[]).length
  t.equal(count, 1 + 8 + 1, 'co-learning, served from 1.2: its domain, its 8 activities in 1.2 and its hint')

  const association = (withAssociations.body.CFAssociations as Array<{ identifier: string, associationType: string }>).find((a) => a.associationType === 'replacedBy')
  const single = await get(app, `/ims/case/v1p1/CFAssociations/${association?.identifier ?? ''}`)
  t.match(single.body, { associationType: 'replacedBy', CFDocumentURI: { identifier: v12 } })

  const pkg = viaLink.body as unknown as { CFDefinitions: { CFItemTypes: Array<{ identifier: string, title: string }>, CFConcepts: Array<{ identifier: string, title: string }> } }
  const domainType = pkg.CFDefinitions.CFItemTypes.find((x) => x.title === 'Domain')
  const typeSet = await get(app, `/ims/case/v1p1/CFItemTypes/${domainType?.identifier ?? ''}`)
  t.same((typeSet.body.CFItemTypes as Array<{ title: string }>).map((x) => x.title), ['Domain', 'Competency'], 'an item type and its children')
  const activityType = pkg.CFDefinitions.CFItemTypes.find((x) => x.title === 'Key Activity')
  t.same(((await get(app, `/ims/case/v1p1/CFItemTypes/${activityType?.identifier ?? ''}`)).body.CFItemTypes as Array<{ title: string }>).map((x) => x.title), ['Key Activity', 'Sub-point'])
  const concept = pkg.CFDefinitions.CFConcepts[0]
  const concepts = await get(app, `/ims/case/v1p1/CFConcepts/${concept?.identifier ?? ''}`)
  t.match(concepts.body, { CFConcepts: [{ identifier: concept?.identifier, title: 'Implementation', hierarchyCode: 'DEF01' }] })
})

t.test('errors are imsx_StatusInfo, spelled per CASE version', async (t) => {
  const app = await buildApp(t)
  for (const [segment, invalid] of [['v1p0', 'invaliduuid'], ['v1p1', 'invalid_uuid']] as const) {
    for (const collection of ['CFDocuments', 'CFPackages', 'CFItems', 'CFItemAssociations', 'CFAssociations', 'CFItemTypes', 'CFConcepts', 'CFSubjects', 'CFLicenses', 'CFAssociationGroupings', 'CFRubrics']) {
      const bad = await get(app, `/ims/case/${segment}/${collection}/not-a-uuid`)
      t.equal(bad.status, 400, `${segment} ${collection} malformed`)
      t.match(bad.body, statusInfo(invalid, 'sourcedId'))
      const unknown = await get(app, `/ims/case/${segment}/${collection}/${unknownUuid}`)
      t.equal(unknown.status, 404, `${segment} ${collection} unknown`)
      t.match(unknown.body, statusInfo('unknownobject', 'sourcedId'))
    }
    const wrongKind = await get(app, `/ims/case/${segment}/CFItems/${v11}`)
    t.equal(wrongKind.status, 404, 'a document id is no CFItem')
    const nowhere = await get(app, `/ims/case/${segment}/CFNothing`)
    t.equal(nowhere.status, 404)
    t.match(nowhere.body, statusInfo('unknownobject', 'path'))
    t.match(nowhere.body.imsx_description, 'CFNothing')
    const post = await app.inject({ method: 'POST', url: `/ims/case/${segment}/CFDocuments` })
    t.equal(post.statusCode, 404, 'the provider is read-only')
    t.equal(post.json().imsx_codeMajor, 'failure')
  }
  const license = await get(app, `/ims/case/v1p1/CFLicenses/${v11}`)
  t.equal(license.status, 404, 'no licence, even for a known identifier')
})

t.test('the 1.0 endpoints serve the 1.0 form', async (t) => {
  const app = await buildApp(t, { fixtures: true })
  const doc = await get(app, `/ims/case/v1p0/CFDocuments/${v12}`)
  t.notOk('caseVersion' in doc.body, 'no caseVersion')
  t.equal((doc.body.CFPackageURI as { uri: string }).uri, `http://localhost:3000/ims/case/v1p0/CFPackages/${v12}`)
  const assoc = await get(app, `/ims/case/v1p0/CFItemAssociations/${uuid('be-curious')}`)
  for (const a of assoc.body.CFAssociations as Array<Record<string, Record<string, unknown>>>) {
    t.notOk('notes' in a, 'no association notes')
    t.notOk('targetType' in (a.originNodeURI ?? {}), 'no targetType')
  }
})

t.test('the discovery documents are valid OpenAPI 3.0 describing the served operations', async (t) => {
  const app = await buildApp(t)
  for (const segment of ['v1p0', 'v1p1']) {
    const res = await app.inject({ url: `/ims/case/${segment}/discovery/imscase${segment}_openapi3_v1p0.json` })
    t.equal(res.statusCode, 200)
    const doc = res.json()
    const validator = new Validator()
    const result = await validator.validate(doc)
    t.ok(result.valid, `${segment} discovery validates`, { errors: result.errors })
    t.equal(doc.openapi, '3.0.3')
    t.same(doc.servers, [{ url: `http://localhost:3000/ims/case/${segment}`, description: 'This provider.' }])
    t.same(Object.keys(doc.paths).sort(), [
      '/CFAssociationGroupings/{sourcedId}', '/CFAssociations/{sourcedId}', '/CFConcepts/{sourcedId}', '/CFDocuments', '/CFDocuments/{sourcedId}',
      '/CFItemAssociations/{sourcedId}', '/CFItemTypes/{sourcedId}', '/CFItems/{sourcedId}', '/CFLicenses/{sourcedId}', '/CFPackages/{sourcedId}',
      '/CFRubrics/{sourcedId}', '/CFSubjects/{sourcedId}'
    ])
    t.equal(doc.paths['/CFItems/{sourcedId}'].get.operationId, 'getCFItem', 'the binding\'s operation ids')
    t.ok(doc.paths['/CFDocuments'].get.responses['200'].headers['X-Total-Count'])
    const hasTargetType = JSON.stringify(doc).includes('targetType')
    t.equal(hasTargetType, segment === 'v1p1', 'targetType is described only in 1.1')
  }
  const missing = await app.inject({ url: '/ims/case/v1p1/discovery/other.json' })
  t.equal(missing.statusCode, 404)
})

t.test('failures inside the provider become imsx_StatusInfo and leak nothing', async (t) => {
  const app = await buildApp(t)
  const original = app.formats.caseObject.bind(app.formats)
  t.teardown(() => { app.formats.caseObject = original })
  const cases: Array<[Error, number, string, string]> = [
    [new Error('database exploded at /secret/path'), 500, 'internal_server_error', 'Internal server error'],
    [Object.assign(new Error('slow down'), { statusCode: 429 }), 429, 'server_busy', 'slow down'],
    [Object.assign(new Error('under pressure'), { statusCode: 503 }), 503, 'server_busy', 'under pressure'],
    [Object.assign(new Error('who are you'), { statusCode: 401 }), 401, 'unauthorised_request', 'who are you'],
    [Object.assign(new Error('not for you'), { statusCode: 403 }), 403, 'forbidden', 'not for you'],
    [Object.assign(new Error('gone'), { statusCode: 410 }), 410, 'invalid_selection_field', 'gone']
  ]
  for (const [error, status, minor, description] of cases) {
    app.formats.caseObject = () => { throw error }
    const res = await app.inject({ url: `/ims/case/v1p1/CFItems/${uuid('co-learning')}` })
    t.equal(res.statusCode, status, minor)
    t.match(res.json(), { imsx_description: description, imsx_codeMinor: { imsx_codeMinorField: [{ imsx_codeMinorFieldValue: minor }] } })
    t.notMatch(res.body, /secret|at .*\.ts/, 'no internals')
  }
  app.formats.caseObject = () => { throw Object.assign(new Error('who'), { statusCode: 401 }) }
  const old = await app.inject({ url: `/ims/case/v1p0/CFItems/${uuid('co-learning')}` })
  t.equal(old.json().imsx_codeMinor.imsx_codeMinorField[0].imsx_codeMinorFieldValue, 'unauthorisedrequest', '1.0 spelling')
})
