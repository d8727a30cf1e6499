/**
 * The LMS import files of a version, as one list: each file's export `format`, what it is, its
 * media type and the name it is saved under. The REST export serves them, and the version
 * resources of REST and GraphQL link them, from this list.
 */

/** The export `format` of each LMS file. */
export type LmsFormat = 'moodle' | 'canvas' | 'openedx' | 'openedx-json'

export interface LmsFile {
  format: LmsFormat
  /** What the file is, for people. */
  name: string
  mediaType: string
  /** What the file name adds after `{framework}-{version}`. */
  suffix: string
  extension: string
}

export const lmsFiles: readonly LmsFile[] = [
  { format: 'moodle', name: 'Moodle competency framework CSV', mediaType: 'text/csv', suffix: '-moodle', extension: 'csv' },
  { format: 'canvas', name: 'Canvas Outcomes CSV', mediaType: 'text/csv', suffix: '-canvas', extension: 'csv' },
  { format: 'openedx', name: 'Open edX taxonomy CSV', mediaType: 'text/csv', suffix: '-openedx', extension: 'csv' },
  { format: 'openedx-json', name: 'Open edX taxonomy JSON', mediaType: 'application/json', suffix: '-openedx', extension: 'json' }
]

/** The LMS file of a format. */
export function lmsFile (format: LmsFormat): LmsFile {
  const file = lmsFiles.find((f) => f.format === format)
  if (file === undefined) throw new Error(`no LMS file ${format}`)
  return file
}

/** The name a version's file is saved under, e.g. `isp-1.1-moodle.csv`. */
export function lmsFileName (framework: string, version: string, file: LmsFile): string {
  return `${framework}-${version}${file.suffix}.${file.extension}`
}
