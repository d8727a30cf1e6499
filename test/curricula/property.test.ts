/**
 * fast-check drives random sequences of writes by two institutions (on both stores) and checks
 * the invariants: no 5xx; nothing of one institution visible to, or changeable by, the other;
 * every acknowledged write readable; counts consistent with what was acknowledged.
 */
import fc from 'fast-check'
import t from 'tap'
import { auth, curriculaFixture } from '../helpers/curricula.js'
import { storeKinds } from '../helpers/stores.js'

t.setTimeout(300_000)

type Who = 'a' | 'b'
type Op =
  | { kind: 'curriculum', who: Who, name: string }
  | { kind: 'course', who: Who, pick: number, code: string }
  | { kind: 'delete', who: Who, pick: number }
  | { kind: 'peek', who: Who, pick: number }
  | { kind: 'align', who: Who, pick: number, target: string }

const who = fc.constantFrom<Who>('a', 'b')
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('curriculum' as const), who, name: fc.string({ minLength: 1, maxLength: 20 }) }),
  fc.record({ kind: fc.constant('course' as const), who, pick: fc.nat(), code: fc.stringMatching(/^[A-Z]{2}[0-9]{1,3}$/) }),
  fc.record({ kind: fc.constant('delete' as const), who, pick: fc.nat() }),
  fc.record({ kind: fc.constant('peek' as const), who, pick: fc.nat() }),
  fc.record({ kind: fc.constant('align' as const), who, pick: fc.nat(), target: fc.constantFrom('C01', 'C02.A01', 'co-learning-a3', 'C99', 'brokering') })
)

for (const kind of storeKinds) {
  t.test(`${kind}: random writes by two institutions keep them apart`, async (t) => {
    const f = await curriculaFixture(t, kind, { CURRICULA_RATE_LIMIT_MAX: '1000000' })
    if (f === undefined) return
    const { app, keys } = f
    const other = (w: Who): Who => w === 'a' ? 'b' : 'a'
    let checks = 0
    await fc.assert(fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 15 }), async (ops) => {
      // The model: what each institution has been told exists.
      const curricula: Record<Who, Array<{ id: string, courses: Map<string, string> }>> = { a: [], b: [] }
      for (const [w, list] of Object.entries(curricula) as Array<[Who, typeof curricula.a]>) {
        for (const c of (await app.inject({ method: 'GET', url: '/v1/curricula?limit=100', headers: auth(keys[w]) })).json().data as Array<{ id: string }>) {
          await app.inject({ method: 'DELETE', url: `/v1/curricula/${c.id}`, headers: auth(keys[w], { 'if-match': '*' }) })
        }
        list.length = 0
      }
      for (const o of ops) {
        const mine = curricula[o.who]
        const h = auth(keys[o.who])
        let status = 0
        if (o.kind === 'curriculum') {
          const res = await app.inject({ method: 'POST', url: '/v1/curricula', headers: h, payload: { name: o.name.trim() === '' ? 'x' : o.name, framework: 'isp', version: '1.1' } })
          status = res.statusCode
          if (status === 201) mine.push({ id: res.json().id, courses: new Map() })
        } else if (mine.length > 0 || o.kind === 'peek') {
          const target = o.kind === 'peek' ? curricula[other(o.who)] : mine
          const c = target[o.pick % Math.max(1, target.length)]
          if (c === undefined) continue
          if (o.kind === 'course') {
            const res = await app.inject({ method: 'POST', url: `/v1/curricula/${c.id}/courses`, headers: h, payload: { code: o.code, title: 'T' } })
            status = res.statusCode
            if (status === 201) c.courses.set(o.code, res.json().id)
            else if (status !== 409 || !c.courses.has(o.code)) return false
          } else if (o.kind === 'delete') {
            status = (await app.inject({ method: 'DELETE', url: `/v1/curricula/${c.id}`, headers: auth(keys[o.who], { 'if-match': '*' }) })).statusCode
            if (status === 204) mine.splice(mine.indexOf(c), 1)
          } else if (o.kind === 'align') {
            const course = [...c.courses.values()][0]
            if (course === undefined) continue
            status = (await app.inject({ method: 'POST', url: `/v1/curricula/${c.id}/courses/${course}/alignments/${o.target}`, headers: h, payload: { level: 'introduced' } })).statusCode
            if (![201, 409, 422].includes(status)) return false
            if (status === 422 && o.target !== 'C99') return false
          } else {
            // Peeking at the other institution's curriculum: 404 for reads and writes alike.
            const read = await app.inject({ method: 'GET', url: `/v1/curricula/${c.id}`, headers: h })
            const write = await app.inject({ method: 'PATCH', url: `/v1/curricula/${c.id}`, headers: auth(keys[o.who], { 'if-match': '*' }), payload: { name: 'taken' } })
            const courses = await app.inject({ method: 'GET', url: `/v1/curricula/${c.id}/courses`, headers: h })
            if (read.statusCode !== 404 || write.statusCode !== 404 || courses.statusCode !== 404) return false
            status = 404
          }
        }
        if (status >= 500) return false
      }
      // Every acknowledged record is readable by its owner, invisible to the other, and the counts agree.
      for (const w of ['a', 'b'] as Who[]) {
        const list = (await app.inject({ method: 'GET', url: '/v1/curricula?limit=100', headers: auth(keys[w]) })).json()
        if (list.meta.total !== curricula[w].length) return false
        for (const c of curricula[w]) {
          const courses = (await app.inject({ method: 'GET', url: `/v1/curricula/${c.id}/courses?limit=100`, headers: auth(keys[w]) })).json()
          if (courses.meta.total !== c.courses.size) return false
          if ((await app.inject({ method: 'GET', url: `/v1/curricula/${c.id}`, headers: auth(keys[other(w)]) })).statusCode !== 404) return false
          checks++
        }
      }
      return true
    }), { numRuns: kind === 'postgres' ? 15 : 30, seed: 20261129 })
    t.pass(`invariants held (${checks} curricula checked)`)
  })
}
