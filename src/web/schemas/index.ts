/** The schemas every transport shares (paging, sparse fields, problem+json), registered first by the OpenAPI plugin. */
import type { TSchema } from '@sinclair/typebox'
import { ListMeta, PageLinks, Sparse } from './common.js'
import { Problem, ProblemError, ProblemType } from './problem.js'

/** In dependency order: a schema comes after those it references. */
export const sharedSchemas: TSchema[] = [PageLinks, ListMeta, Sparse, ProblemError, Problem, ProblemType]
