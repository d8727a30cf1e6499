/** The error every layer throws for a known HTTP status; the app's error handler renders it (problem+json). */
export class HttpError extends Error {
  constructor (readonly statusCode: number, readonly code: string, message: string) {
    super(message)
    this.name = 'HttpError'
  }
}
