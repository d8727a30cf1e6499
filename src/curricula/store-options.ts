/** Where the configuration puts the curricula store. */
import { dirname, join } from 'node:path'
import type { Config } from '../config.js'
import type { StoreOptions } from './store/open.js'

/** DATABASE_URL (PostgreSQL), else CURRICULA_DB_PATH, else `curricula.db` next to the content database. */
export function curriculaStoreOptions (config: Config): StoreOptions {
  return {
    databaseUrl: config.DATABASE_URL,
    sqlitePath: config.CURRICULA_DB_PATH ?? join(dirname(config.DB_PATH), 'curricula.db'),
    poolSize: config.CURRICULA_POOL_SIZE,
    limits: { curricula: config.CURRICULA_MAX_CURRICULA, coursesPerCurriculum: config.CURRICULA_MAX_COURSES, alignmentsPerCourse: config.CURRICULA_MAX_ALIGNMENTS }
  }
}
