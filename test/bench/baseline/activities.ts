/** The baseline's only activity: does nothing, so what is measured is Temporal's round trip. */
export async function noop(): Promise<void> {
  // nothing
}
