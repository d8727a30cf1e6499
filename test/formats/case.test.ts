/**
 * The CASE builders on the real content: nesting and order against the seeds, identifiers, dates,
 * changed items between isp@1.1 and the fixture isp@1.2, and the 1.0 form.
 */
import t from 'tap'
import { v5 as uuidv5 } from 'uuid'
import { entityUuid, ID_NAMESPACE, versionUuid } from '../../src/content/ids.js'
import { Catalog } from '../../src/catalog/catalog.js'
import { casePackage, releaseDateTime } from '../../src/formats/case.js'
import type { CFPackage, CFPckgAssociation } from '../../src/formats/case-schemas.js'
import { openRepository } from '../helpers/app.js'
import { seeds } from '../helpers/formats.js'

const baseUrl = 'https://competencies.example.org'

function packages (fixtures: boolean, caseVersion: '1.0' | '1.1' = '1.1'): Map<string, CFPackage> {
  const repo = openRepository(t, fixtures)
  const views = new Catalog(repo).history('isp')
  return new Map(views.map((v, i) => [v.version.number, casePackage(views.slice(0, i + 1), { baseUrl, caseVersion })]))
}

const uuid = (id: string): string => entityUuid('isp', id)

/** The children of a node, in sequence order, as the associations say. */
function children (pkg: CFPackage, parent: string): string[] {
  return (pkg.CFAssociations ?? [])
    .filter((a) => a.associationType === 'isChildOf' && a.destinationNodeURI.identifier === parent)
    .sort((a, b) => (a.sequenceNumber ?? 0) - (b.sequenceNumber ?? 0))
    .map((a) => a.originNodeURI.identifier)
}

t.test('isChildOf associations reproduce the guide\'s nesting and order (isp@1.1 seeds)', async (t) => {
  const pkg = packages(false).get('1.1') as CFPackage
  const s = seeds('1.1')
  const doc = versionUuid('isp', '1.1')
  t.equal(pkg.CFDocument.identifier, doc, 'the CFDocument identifier is the version uuid')
  t.same(children(pkg, doc), [...s.principles.map((p) => uuid(p.id)), ...s.domains.map((d) => uuid(d.id))], 'principles, then domains, under the document')
  for (const d of s.domains) {
    t.same(children(pkg, uuid(d.id)), s.competencies.filter((c) => c.domain === d.id).map((c) => uuid(c.id)), `competencies of ${d.code}`)
  }
  for (const c of s.competencies) {
    t.same(children(pkg, uuid(c.id)), [...c.activities.map((a) => uuid(a.id)), uuid(c.hint.id)], `activities then hint of ${c.code}`)
    for (const a of c.activities) {
      t.same(children(pkg, uuid(a.id)), (a.subpoints ?? []).map((sp) => uuid(sp.id)), `sub-points of ${a.code}`)
    }
  }
  const seqs = (pkg.CFAssociations ?? []).filter((a) => a.associationType === 'isChildOf').map((a) => a.sequenceNumber)
  t.ok(seqs.every((n) => Number.isInteger(n) && (n as number) >= 1), 'every isChildOf has a 1-based sequenceNumber')
  const itemIds = new Set((pkg.CFItems ?? []).map((i) => i.identifier))
  const parented = new Set((pkg.CFAssociations ?? []).filter((a) => a.associationType === 'isChildOf').map((a) => a.originNodeURI.identifier))
  t.same(parented, itemIds, 'every item has exactly the one parent association')
  t.equal((pkg.CFAssociations ?? []).filter((a) => a.associationType === 'isChildOf').length, itemIds.size)
})

t.test('CFItems carry the codes, types and verbatim text', async (t) => {
  const pkg = packages(false).get('1.1') as CFPackage
  const s = seeds('1.1')
  const items = new Map((pkg.CFItems ?? []).map((i) => [i.identifier, i]))
  const expected = 6 + 3 + 15 + 115 + 15 + s.competencies.flatMap((c) => c.activities).reduce((n, a) => n + (a.subpoints?.length ?? 0), 0)
  t.equal(items.size, expected, 'one item per principle, domain, competency, activity, sub-point and hint')
  for (const p of s.principles) {
    const item = items.get(uuid(p.id))
    t.match(item, { humanCodingScheme: p.code, CFItemType: 'Principle', fullStatement: p.description, abbreviatedStatement: p.name })
  }
  for (const c of s.competencies) {
    t.match(items.get(uuid(c.id)), { humanCodingScheme: c.code, CFItemType: 'Competency', abbreviatedStatement: c.name })
    t.ok(items.get(uuid(c.id))?.fullStatement.startsWith(c.overview[0]?.text ?? '\u0000'), `${c.code} fullStatement is its overview`)
    t.match(items.get(uuid(c.hint.id)), { humanCodingScheme: c.hint.code, CFItemType: 'Helpful Hint', fullStatement: c.hint.paragraphs.join('\n\n') })
    for (const a of c.activities) {
      t.match(items.get(uuid(a.id)), { humanCodingScheme: a.code, CFItemType: 'Key Activity', fullStatement: a.text })
      for (const sp of a.subpoints ?? []) t.match(items.get(uuid(sp.id)), { humanCodingScheme: sp.code, CFItemType: 'Sub-point', fullStatement: sp.text })
    }
  }
  for (const item of items.values()) {
    t.equal(item.uri, `${baseUrl}/uri/${item.identifier}`, 'uri is the resolver URI')
    t.equal(item.lastChangeDateTime, '2021-09-01T00:00:00+00:00', 'stable date: the release month of 1.1')
    const type = (pkg.CFDefinitions?.CFItemTypes ?? []).find((ty) => ty.identifier === item.CFItemTypeURI?.identifier)
    t.equal(type?.title, item.CFItemType, 'CFItemTypeURI points at the matching CFItemType')
  }
})

t.test('the document states what the seeds state and invents nothing', async (t) => {
  const pkg = packages(false).get('1.1') as CFPackage
  const doc = pkg.CFDocument
  t.match(doc, {
    title: 'A Practice Guide to Supporting Implementation: What competencies do we need?',
    creator: 'Allison Metz; Katie Burke; Bianca Albers; Laura Louison; Leah Bartley',
    version: '1.1',
    language: 'en-GB',
    caseVersion: '1.1',
    lastChangeDateTime: '2021-09-01T00:00:00+00:00'
  })
  t.notOk('licenseURI' in doc, 'no licence: the guide states none')
  t.notOk('officialSourceURL' in doc, 'no source URL: the seeds give none')
  t.notOk('CFLicenses' in (pkg.CFDefinitions ?? {}), 'no CFLicenses')
  t.notOk('CFRubrics' in pkg, 'no CFRubrics')
  t.notOk(JSON.stringify(pkg).includes('licenseURI'), 'no licenseURI anywhere')
  t.same((pkg.CFDefinitions?.CFConcepts ?? []).map((c) => c.hierarchyCode).slice(0, 2), ['DEF01', 'DEF02'], 'the definitions are the CFConcepts')
  t.equal(releaseDateTime('2021-09'), '2021-09-01T00:00:00+00:00')
  t.equal(releaseDateTime('2022-01-15'), '2022-01-15T00:00:00+00:00')
})

t.test('isp@1.2: changed items get new identifiers and replacedBy associations old → new', async (t) => {
  const all = packages(true)
  const v11 = all.get('1.1') as CFPackage
  const v12 = all.get('1.2') as CFPackage
  const ids11 = new Set((v11.CFItems ?? []).map((i) => i.identifier))
  const ids12 = new Set((v12.CFItems ?? []).map((i) => i.identifier))
  const changed = ['be-curious', 'co-learning-a2']
  for (const id of changed) {
    const fresh = uuidv5(`${uuid(id)}@1.2`, ID_NAMESPACE)
    t.ok(ids11.has(uuid(id)), `${id}: 1.1 publishes it under its entity uuid`)
    t.notOk(ids12.has(uuid(id)), `${id}: 1.2 no longer publishes the old text`)
    t.ok(ids12.has(fresh), `${id}: 1.2 publishes the new text as uuidv5(uuid@1.2)`)
    const item = (v12.CFItems ?? []).find((i) => i.identifier === fresh)
    t.equal(item?.lastChangeDateTime, '2022-01-01T00:00:00+00:00', `${id}: dated by the 1.2 release`)
    t.ok(item?.fullStatement.endsWith(' (fixture edit)'), `${id}: the new text`)
  }
  const replaced = (v12.CFAssociations ?? []).filter((a) => a.associationType === 'replacedBy')
  t.same(
    replaced.map((a) => [a.originNodeURI.identifier, a.destinationNodeURI.identifier]).sort(),
    changed.map((id) => [uuid(id), uuidv5(`${uuid(id)}@1.2`, ID_NAMESPACE)]).sort(),
    'exactly the two edited entities are replacedBy, old → new'
  )
  t.notOk((v11.CFAssociations ?? []).some((a) => a.associationType === 'replacedBy'), '1.1 has no replacedBy')

  t.ok(ids12.has(uuid('co-design-a1')), 'a moved activity keeps its identifier')
  const moved = (v12.CFAssociations ?? []).find((a) => a.associationType === 'isChildOf' && a.originNodeURI.identifier === uuid('co-design-a1')) as CFPckgAssociation
  const seeds12 = seeds('1.2').competencies.find((c) => c.id === 'co-design')
  t.equal(moved.sequenceNumber, seeds12?.activities.length, 'and is now the last child of co-design')
  t.equal(moved.lastChangeDateTime, '2022-01-01T00:00:00+00:00', 'its new association is dated 1.2')
  const unmoved = (v12.CFAssociations ?? []).find((a) => a.originNodeURI.identifier === uuid('co-learning-a1'))
  t.equal(unmoved?.lastChangeDateTime, '2021-09-01T00:00:00+00:00', 'an unchanged association keeps its 1.1 date')
  t.notOk(ids12.has(uuid('brokering-a7')), 'a removed activity is gone from 1.2')
  t.ok(ids12.has(uuid('co-learning-a8')), 'an added activity appears under its entity uuid')
  const unchanged = (v12.CFItems ?? []).find((i) => i.identifier === uuid('co-learning-a1'))
  t.equal(unchanged?.lastChangeDateTime, '2021-09-01T00:00:00+00:00', 'an unchanged item keeps its 1.1 date')
})

t.test('association identifiers are deterministic', async (t) => {
  const a = packages(false).get('1.1') as CFPackage
  const b = packages(false).get('1.1') as CFPackage
  t.same(a.CFAssociations?.map((x) => x.identifier), b.CFAssociations?.map((x) => x.identifier))
  const ids = new Set(a.CFAssociations?.map((x) => x.identifier))
  t.equal(ids.size, a.CFAssociations?.length, 'and unique')
})

t.test('the 1.0 form leaves out every 1.1-only field', async (t) => {
  for (const [number, pkg] of packages(true, '1.0')) {
    t.notOk('caseVersion' in pkg.CFDocument, `${number}: no caseVersion`)
    t.notOk((pkg.CFAssociations ?? []).some((a) => 'notes' in a || 'targetType' in a.originNodeURI || 'targetType' in a.destinationNodeURI), `${number}: no association notes or targetType`)
  }
  const v11 = packages(true, '1.1').get('1.2') as CFPackage
  t.ok('caseVersion' in v11.CFDocument, 'the 1.1 form does state caseVersion')
  t.ok((v11.CFAssociations ?? []).some((a) => 'notes' in a), 'and replacedBy notes')
})
