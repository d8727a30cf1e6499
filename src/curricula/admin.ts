/**
 * The operators' command line: `npm run admin -- <command>`, on the store the server uses
 * (DATABASE_URL, or the SQLite file CURRICULA_DB_PATH / next to DB_PATH). Prints JSON.
 *
 *   institution create --name <name>      institution list
 *   key create --institution <id> --scope read|write     key list [--institution <id>]
 *   key revoke <id|prefix>                audit [--institution <id>] [--limit <n>]
 */
import { parseArgs } from 'node:util'
import { loadConfig } from '../config.js'
import { curriculaStoreOptions } from './store-options.js'
import { createKey } from './keys.js'
import { closeStore, openStore } from './store/open.js'
import type { CurriculaRepository } from './store/repository.js'

/** A command line the CLI does not understand; its message says why. */
export class UsageError extends Error {
  override name = 'UsageError'
}

export const usage = `Usage: npm run admin -- <command>
  institution create --name <name>
  institution list
  key create --institution <id> --scope read|write    (the key is shown once)
  key list [--institution <id>]
  key revoke <key id or prefix>
  audit [--institution <id>] [--limit <n>]
`

function required (value: string | boolean | undefined, flag: string): string {
  if (typeof value !== 'string' || value === '') throw new UsageError(`--${flag} is required`)
  return value
}

/** Runs one command against an open store and returns what to print. */
export async function runAdmin (repo: CurriculaRepository, argv: string[]): Promise<unknown> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { name: { type: 'string' }, institution: { type: 'string' }, scope: { type: 'string' }, limit: { type: 'string' } },
    allowPositionals: true,
    strict: true
  })
  const command = positionals.slice(0, 2).join(' ')
  switch (command) {
    case 'institution create': return repo.createInstitution(required(values.name, 'name'))
    case 'institution list': return repo.listInstitutions()
    case 'key create': {
      const scope = required(values.scope, 'scope')
      if (scope !== 'read' && scope !== 'write') throw new UsageError('--scope must be read or write')
      const { key, record } = await createKey(repo, required(values.institution, 'institution'), scope)
      return { key, ...record, note: 'The key is shown only now: store it safely.' }
    }
    case 'key list': return repo.listKeys(values.institution)
    case 'key revoke': {
      const id = positionals[2]
      if (id === undefined) throw new UsageError('key revoke needs the key\'s id or prefix')
      return repo.revokeKey(id)
    }
    default:
      if (positionals[0] === 'audit') {
        const limit = values.limit === undefined ? 100 : Number(values.limit)
        if (!Number.isInteger(limit) || limit < 1) throw new UsageError('--limit must be a positive integer')
        return repo.listAudit(values.institution, limit)
      }
      throw new UsageError(`unknown command "${positionals.join(' ')}"`)
  }
}

async function main (): Promise<void> {
  const argv = process.argv.slice(2)
  if (argv.length === 0 || argv.includes('--help')) {
    process.stdout.write(usage)
    return
  }
  const repo = await openStore(curriculaStoreOptions(loadConfig()))
  try {
    process.stdout.write(`${JSON.stringify(await runAdmin(repo, argv), null, 2)}\n`)
  } finally {
    await closeStore(repo)
  }
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  main().catch((err: unknown) => {
    const e = err as Error
    process.stderr.write(`${e instanceof UsageError || e.name === 'NotFoundError' || e.name === 'TypeError' ? e.message : e.stack ?? String(e)}\n${e instanceof UsageError ? usage : ''}`)
    process.exit(1)
  })
}
