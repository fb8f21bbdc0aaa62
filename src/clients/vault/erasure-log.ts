// Placeholder until the vault branch lands (it owns this file).
export async function appendErasure(_file: string, _entry: object): Promise<void> {
  throw new Error('not yet');
}
