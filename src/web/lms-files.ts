/** Where a version's LMS files are downloaded from, the same in every transport that links them. */
import { lmsFileName, lmsFiles, type LmsFormat } from '../formats/lms/files.js'
import type { Urls } from './urls.js'

/** One LMS file of a version, as the version resources link it. */
export interface LmsFileLink {
  format: LmsFormat
  name: string
  mediaType: string
  fileName: string
  href: string
}

/** The LMS files of a pinned version: each one's export URL (`…/export?format=`) and file name. */
export function lmsFileLinks (urls: Urls, framework: string, version: string): LmsFileLink[] {
  const exportUrl = `${urls.version(framework, version)}/export`
  return lmsFiles.map((file) => ({
    format: file.format,
    name: file.name,
    mediaType: file.mediaType,
    fileName: lmsFileName(framework, version, file),
    href: `${exportUrl}?format=${encodeURIComponent(file.format)}`
  }))
}
