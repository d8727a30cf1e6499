/** The example curriculum of the coverage tests, its coverage worked out by hand in test/curricula/coverage.test.ts. */
import type { FastifyInstance } from 'fastify'
import { auth } from './curricula.js'

/**
 * IS101 Foundations:      C01 I, C01.A03 R, C02 I
 * IS201 Co-design studio: C04.A01 M, C01 R, C10.A01.S02 I
 * IS301 Capstone:         C01 M, C02.A02 R, C12 I
 * IS401 Elective:         nothing
 */
const CSV = [
  'code,title,alignments',
  'IS101,Foundations,C01:I; C01.A03:R; C02:I',
  'IS201,Co-design studio,C04.A01:M; C01:R; C10.A01.S02:I',
  'IS301,Capstone,C01:M; C02.A02:R; C12:I',
  'IS401,"Elective, optional",'
].join('\n')

/** Creates the example curriculum (isp 1.1) with its four courses; its id. */
export async function exampleCurriculum (app: FastifyInstance, key: string): Promise<string> {
  const cur = (await app.inject({ method: 'POST', url: '/v1/curricula', headers: auth(key), payload: { name: 'MSc Implementation Practice', framework: 'isp', version: '1.1' } })).json()
  const imported = await app.inject({ method: 'POST', url: `/v1/curricula/${cur.id}/courses:import`, headers: auth(key, { 'content-type': 'text/csv' }), payload: CSV })
  if (imported.statusCode !== 200) throw new Error(imported.body)
  return cur.id as string
}
