/**
 * Limits on what one GraphQL request may ask for, and the validation rules that enforce them.
 * Every rule reports a GraphQLError with `extensions.code` GRAPHQL_VALIDATION_FAILED and
 * `extensions.limit` naming the limit, so a client can tell which one it hit.
 */
import {
  GraphQLError, Kind, getNamedType, getNullableType, isListType, isObjectType, isInterfaceType,
  type ASTVisitor, type FieldNode, type GraphQLCompositeType, type SelectionSetNode, type ValidationContext, type ValidationRule
} from 'graphql'
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases'
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth'
import type { Catalog } from '../catalog/catalog.js'

/** Largest page a list field returns; `first` above it is an error (BAD_USER_INPUT), not clamped. */
export const MAX_FIRST = 100
/** Most uuids one `nodes(ids:)` takes. */
export const MAX_NODES = 100
/** Search hits returned when `first` is not given. */
export const SEARCH_DEFAULT_FIRST = 20
/** Deepest field nesting; introspection (`__schema`) is not counted, so GraphiQL works. */
export const MAX_DEPTH = 8
/** Most aliases in one operation. */
export const MAX_ALIASES = 15
/** Most lexical tokens in one document; parsing stops at the limit. */
export const MAX_TOKENS = 2000
/**
 * Most values (fields and list items) a query may be estimated to return. A whole version with
 * everything in it is about 7,400, a page of 100 activities with every field and the rest of the
 * version about 8,900; at 10,000 the longest query runs in tens of milliseconds, which the event
 * loop (and the health probes behind it) can afford, one at a time (admission.ts).
 */
export const MAX_COST = 10000
/** Longest full-text query, in characters. */
export const MAX_Q_LENGTH = 200
/** Largest POST body, in bytes. */
export const BODY_LIMIT = 64 * 1024

/** A validation error naming the limit it enforces. */
export function limitError (limit: string, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit } })
}

/** Armor reports "Syntax Error: …"; restate it as a validation error with its limit's name. */
const report = (limit: string) => (ctx: ValidationContext | null, err: GraphQLError): void => {
  ctx?.reportError(limitError(limit, err.message.replace(/^Syntax Error: /, '')))
}

/**
 * How many items each list field holds at most, from the content itself (`Type.field` → count).
 * Fields missing here count as DEFAULT_FANOUT items; fields with `first` use it.
 */
export type Fanout = Record<string, number>
const DEFAULT_FANOUT = 10

/** The largest list of each kind across every version, from the catalog (one statement, once; no version is built). */
export function measureFanout (catalog: Catalog): Fanout {
  const out: Fanout = {}
  const grow = (key: string, n: number): void => { out[key] = Math.max(out[key] ?? 0, n) }
  const frameworks = catalog.frameworks()
  grow('Query.frameworks', frameworks.length)
  for (const fw of frameworks) {
    grow('Framework.versions', fw.versions.length)
    for (const v of fw.versions) {
      for (const [collection, n] of Object.entries(v.counts)) grow(`FrameworkVersion.${collection}`, n)
      grow('FrameworkVersion.authors', v.meta.authors.length)
      grow('FrameworkVersion.publishers', v.meta.publishers.length)
      grow('SearchFacets.types', Object.keys(v.counts).length)
      grow('SearchFacets.domains', v.counts.domains ?? 0)
    }
  }
  if (catalog.versions().length === 0) return out
  const most = catalog.largestLists()
  grow('FrameworkVersion.resourceGroups', most.groupsPerVersion)
  grow('Domain.competencies', most.competenciesPerDomain)
  grow('Competency.overviewStatements', most.statementsPerOverview)
  grow('Statement.items', most.itemsPerStatement)
  grow('Competency.activities', most.activitiesPerCompetency)
  grow('Activity.subpoints', most.subpointsPerActivity)
  grow('Activity.subitems', most.subpointsPerActivity)
  grow('ResourceGroup.resources', most.resourcesPerGroup)
  return out
}

/** How many items a list sized by an `ids` argument holds: the literal list's length, or the most a variable may hold. */
function idsArgument (field: FieldNode): number {
  const arg = field.arguments?.find((a) => a.name.value === 'ids')
  return arg !== undefined && arg.value.kind === Kind.LIST ? Math.min(arg.value.values.length, MAX_NODES) : MAX_NODES
}

function firstArgument (field: FieldNode, fallback: number): number {
  const arg = field.arguments?.find((a) => a.name.value === 'first')
  if (arg === undefined) return fallback
  // A variable's value is unknown while validating (and validation is cached per query): assume the most.
  return arg.value.kind === Kind.INT ? Math.min(Math.max(Number(arg.value.value), 0), MAX_FIRST) : MAX_FIRST
}

/**
 * Rejects queries whose estimated response is too large: each field counts once per object it is
 * resolved on, and a list field multiplies what is below it by its length (`first`, or the
 * longest such list in the content). Aliases and nested lists multiply, so this bounds what
 * depth and alias limits alone do not.
 */
export function costRule (fanout: Fanout, max = MAX_COST): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    const fragmentCost = new Map<string, number>()
    const visiting = new Set<string>()

    // `page` is the `first` of a field that returns a page object (search): it sizes the page's list.
    const selectionCost = (set: SelectionSetNode, type: GraphQLCompositeType | null, page?: number): number => {
      let total = 0
      for (const selection of set.selections) {
        if (selection.kind === Kind.FIELD) {
          const name = selection.name.value
          if (name.startsWith('__')) continue
          const def = type !== null && (isObjectType(type) || isInterfaceType(type)) ? type.getFields()[name] : undefined
          if (def === undefined) continue
          const key = `${type?.name ?? ''}.${name}`
          const firstArg = def.args.find((a) => a.name === 'first')
          const first = firstArg === undefined ? undefined : firstArgument(selection, typeof firstArg.defaultValue === 'number' ? firstArg.defaultValue : MAX_FIRST)
          let length = 1
          if (isListType(getNullableType(def.type))) {
            if (def.args.some((a) => a.name === 'ids')) length = idsArgument(selection)
            else length = first !== undefined ? Math.min(first, fanout[key] ?? first) : (page ?? fanout[key] ?? DEFAULT_FANOUT)
          }
          const named = getNamedType(def.type)
          const child = isObjectType(named) || isInterfaceType(named) ? named : null
          const below = selection.selectionSet === undefined ? 0 : selectionCost(selection.selectionSet, child, length === 1 ? first : undefined)
          total += length * (1 + below)
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          const cond = selection.typeCondition === undefined ? type : context.getSchema().getType(selection.typeCondition.name.value)
          total += selectionCost(selection.selectionSet, cond !== undefined && cond !== null && (isObjectType(cond) || isInterfaceType(cond)) ? cond : null)
        } else {
          const name = selection.name.value
          let cost = fragmentCost.get(name)
          if (cost === undefined) {
            const fragment = context.getFragment(name)
            if (fragment === undefined || fragment === null || visiting.has(name)) continue
            visiting.add(name)
            const cond = context.getSchema().getType(fragment.typeCondition.name.value)
            cost = selectionCost(fragment.selectionSet, cond !== undefined && (isObjectType(cond) || isInterfaceType(cond)) ? cond : null)
            visiting.delete(name)
            fragmentCost.set(name, cost)
          }
          total += cost
        }
      }
      return total
    }

    return {
      OperationDefinition (node) {
        const cost = selectionCost(node.selectionSet, context.getSchema().getQueryType() ?? null)
        if (cost > max) {
          context.reportError(limitError('cost', `Query is too large: it could return about ${cost} values, more than the limit of ${max}. Select fewer nested lists, or page with first/offset.`))
        }
      }
    }
  }
}

/** The validation rules every query must pass, besides GraphQL's own. */
export function validationRules (fanout: Fanout): ValidationRule[] {
  return [
    maxDepthRule({ n: MAX_DEPTH, ignoreIntrospection: true, propagateOnRejection: false, onReject: [report('depth')] }) as unknown as ValidationRule,
    maxAliasesRule({ n: MAX_ALIASES, propagateOnRejection: false, onReject: [report('aliases')] }) as unknown as ValidationRule,
    costRule(fanout)
  ]
}
