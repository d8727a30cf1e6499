/**
 * Schema compilers that compile on first use. Fastify compiles an Ajv validator and a
 * fast-json-stringify serializer for every route, part, status and media type when the app
 * starts; with every REST, GraphQL and format route that was most of the start-up time, though
 * many (404s, 406s, rarely used routes) are seldom or never needed, and REST bodies are
 * serialized once per URL anyway (see web/response-cache.ts). Each is now compiled the first time it
 * runs and kept: the same code, the same results, paid for by the first request that needs it.
 *
 * Upstream behaviour relied on (pinned in test/architecture/levers.test.ts): Fastify 5 compiles
 * every schema of every route (and its HEAD twin) when the app becomes ready, through the
 * `schemaController.compilersFactory` builders, and passes Ajv's data context only to a validator
 * that has a `schemaEnv` property. Remove this when Fastify compiles on first use itself, or when
 * a cold start no longer matters (it saves about two seconds of one on a loaded machine).
 */
import ajvCompiler from '@fastify/ajv-compiler'
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler'
import type { FastifyServerOptions } from 'fastify'

type Serialize = (data: unknown) => string
type RouteSchema = { schema?: unknown, method: string, url: string, httpStatus: string, contentType?: string }
/** Fastify's `schemaController.compilersFactory.buildSerializer`. */
export type SerializerBuilder = (externalSchemas: unknown, options?: unknown) => (route: RouteSchema) => Serialize

type Validate = ((data: unknown, context?: unknown) => unknown) & { errors?: unknown, schemaEnv?: unknown }
type RoutePart = { schema?: unknown, method?: string, url?: string, httpPart?: string }
/** Fastify's `schemaController.compilersFactory.buildValidator`. */
export type ValidatorBuilder = (externalSchemas: unknown, options?: unknown) => (route: RoutePart) => Validate

/**
 * Fastify's own default compiler builders (Ajv and fast-json-stringify). They are direct
 * dependencies in the ranges fastify asks for, so npm installs one copy that both use (a test
 * checks it), and the bundle holds that copy once.
 */
export function defaultBuilders (): { validator: ValidatorBuilder, serializer: SerializerBuilder } {
  return {
    validator: (ajvCompiler as unknown as () => ValidatorBuilder)(),
    serializer: (SerializerSelector as unknown as () => SerializerBuilder)()
  }
}

/** Fastify's `schemaController` option: its default compilers, each compiling on first use. */
export function lazySchemaController (): NonNullable<FastifyServerOptions['schemaController']> {
  const { validator, serializer } = defaultBuilders()
  const compilersFactory = { buildValidator: lazyValidators(validator), buildSerializer: lazySerializers(serializer) }
  // Fastify types these builders as Ajv's and fast-json-stringify's own; ours only wrap them.
  return { compilersFactory } as unknown as NonNullable<FastifyServerOptions['schemaController']>
}

/**
 * Wraps a serializer builder so each serializer is compiled when first called, then kept. The
 * builder itself runs then too, once: Fastify calls it when the app becomes ready, and for the
 * validators it builds an Ajv instance, compiling Ajv's meta-schema and checking every shared
 * schema against it (some 3% of a start's CPU), before any request needs one.
 */
export function lazySerializers (build: SerializerBuilder): SerializerBuilder {
  return (externalSchemas, options) => {
    let compile: ReturnType<SerializerBuilder> | undefined
    return (route) => {
      let serialize: Serialize | undefined
      return (data) => {
        compile ??= build(externalSchemas, options)
        serialize ??= compile(route)
        return serialize(data)
      }
    }
  }
}

/**
 * Wraps a validator builder so each validator is compiled when first called, then kept (the
 * builder, too, runs on the first call, as for serializers). The wrapper passes on Fastify's
 * data context (Ajv mutates the request part through it, for defaults and coercion) and exposes
 * the compiled validator's `errors` after each call.
 */
export function lazyValidators (build: ValidatorBuilder): ValidatorBuilder {
  return (externalSchemas, options) => {
    let compile: ReturnType<ValidatorBuilder> | undefined
    return (route) => {
      let validate: Validate | undefined
      const lazy: Validate = (data, context) => {
        compile ??= build(externalSchemas, options)
        validate ??= compile(route)
        const result = validate.schemaEnv === undefined ? validate(data) : validate(data, context)
        lazy.errors = validate.errors
        return result
      }
      // Tells Fastify to pass the data context, which Ajv's validators take.
      lazy.schemaEnv = true
      return lazy
    }
  }
}
