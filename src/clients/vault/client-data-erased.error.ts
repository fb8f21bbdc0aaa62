/** The client's key is gone (erased, crypto-shredded): nothing can be stored for or read about them any more. */
export class ClientDataErasedError extends Error {
  constructor(readonly pseudonym: string) {
    super(`the personal data of client ${pseudonym} has been erased`);
    this.name = 'ClientDataErasedError';
  }
}
