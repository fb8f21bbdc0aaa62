import { randomBytes } from 'node:crypto';
import { PSEUDONYM_PATTERN } from '../../src/clients/client.events';
import {
  clientNumberHash,
  clientNumberHasher,
  fileHash,
  newDataKey,
  newPseudonym,
  open,
  seal,
  SealError,
  unwrapKey,
  wrapKey,
} from '../../src/clients/vault/client-crypto';

describe('client crypto', () => {
  const master = randomBytes(32);
  const pseudonym = newPseudonym();

  it('makes random 32-byte data keys and 20-hex-character pseudonyms', () => {
    expect(newDataKey()).toHaveLength(32);
    expect(newDataKey().equals(newDataKey())).toBe(false);
    for (let i = 0; i < 100; i++) expect(newPseudonym()).toMatch(PSEUDONYM_PATTERN);
    expect(newPseudonym()).not.toBe(newPseudonym());
  });

  describe('wrapKey / unwrapKey', () => {
    it('round-trips, in the format version | iv | tag | ciphertext, with a fresh IV each time', () => {
      const dataKey = newDataKey();
      const wrapped = wrapKey(master, pseudonym, dataKey);
      expect(wrapped).toHaveLength(1 + 12 + 16 + 32);
      expect(wrapped[0]).toBe(1);
      expect(unwrapKey(master, pseudonym, wrapped).equals(dataKey)).toBe(true);
      expect(wrapKey(master, pseudonym, dataKey).equals(wrapped)).toBe(false);
    });

    it("does not open for another client (AAD), under another master key, or tampered with", () => {
      const wrapped = wrapKey(master, pseudonym, newDataKey());
      expect(() => unwrapKey(master, newPseudonym(), wrapped)).toThrow(SealError);
      expect(() => unwrapKey(randomBytes(32), pseudonym, wrapped)).toThrow(SealError);
      for (const at of [1, 13, 29, wrapped.length - 1]) {
        const tampered = Buffer.from(wrapped);
        tampered[at] ^= 0x01;
        expect(() => unwrapKey(master, pseudonym, tampered)).toThrow(SealError);
      }
      const otherVersion = Buffer.from(wrapped);
      otherVersion[0] = 2;
      expect(() => unwrapKey(master, pseudonym, otherVersion)).toThrow(SealError);
      expect(() => unwrapKey(master, pseudonym, wrapped.subarray(0, 20))).toThrow(SealError);
    });

    it('refuses keys of the wrong size', () => {
      expect(() => wrapKey(randomBytes(16), pseudonym, newDataKey())).toThrow(/master key must be 32 bytes/);
      expect(() => wrapKey(master, pseudonym, randomBytes(31))).toThrow(/data key must be 32 bytes/);
    });
  });

  describe('seal / open', () => {
    const dataKey = newDataKey();
    const aad = `personal:${pseudonym}`;

    it('round-trips any bytes, the empty ones too', () => {
      for (const plain of [Buffer.from('{"firstName":"Fatima"}'), Buffer.alloc(0), randomBytes(100_000)]) {
        const sealed = seal(dataKey, aad, plain);
        expect(sealed).toHaveLength(1 + 12 + 16 + plain.length);
        expect(open(dataKey, aad, sealed).equals(plain)).toBe(true);
      }
    });

    it('throws, naming no value, for a wrong AAD, a wrong key or a changed byte', () => {
      const sealed = seal(dataKey, aad, Buffer.from('Fatima El Amrani'));
      expect(() => open(dataKey, `personal:${newPseudonym()}`, sealed)).toThrow(SealError);
      expect(() => open(dataKey, `file:${pseudonym}:00000000-0000-0000-0000-000000000000`, sealed)).toThrow(SealError);
      expect(() => open(newDataKey(), aad, sealed)).toThrow(SealError);
      const tampered = Buffer.from(sealed);
      tampered[sealed.length - 1] ^= 0x80;
      expect(() => open(dataKey, aad, tampered)).toThrow(SealError);
      try {
        open(dataKey, 'x', sealed);
      } catch (error) {
        expect((error as Error).message).not.toMatch(/Fatima|personal:/);
      }
    });
  });

  describe('clientNumberHash', () => {
    it('is the same for the same master, handover and number', () => {
      const hash = clientNumberHash(master, 'rotterdam-feijenoord-2022', 'C-1001');
      expect(hash).toHaveLength(32);
      expect(clientNumberHash(master, 'rotterdam-feijenoord-2022', 'C-1001').equals(hash)).toBe(true);
      expect(clientNumberHasher(master, 'rotterdam-feijenoord-2022')('C-1001').equals(hash)).toBe(true);
    });

    it('is keyed: another master key, handover or number gives another hash', () => {
      const hash = clientNumberHash(master, 'rotterdam-feijenoord-2022', 'C-1001');
      expect(clientNumberHash(randomBytes(32), 'rotterdam-feijenoord-2022', 'C-1001').equals(hash)).toBe(false);
      expect(clientNumberHash(master, 'rotterdam-charlois-2022', 'C-1001').equals(hash)).toBe(false);
      expect(clientNumberHash(master, 'rotterdam-feijenoord-2022', 'C-1002').equals(hash)).toBe(false);
      // The separator keeps the handover and the number apart.
      expect(clientNumberHash(master, 'a', 'bc').equals(clientNumberHash(master, 'ab', 'c'))).toBe(false);
    });
  });

  describe('fileHash', () => {
    it('is stable, keyed, per handover, and apart from the client-number hash', () => {
      const bytes = Buffer.from('klantnummer;voornaam\nC-1001;Fatima\n');
      const hash = fileHash(master, 't1', bytes);
      expect(fileHash(master, 't1', Buffer.from(bytes)).equals(hash)).toBe(true);
      expect(fileHash(randomBytes(32), 't1', bytes).equals(hash)).toBe(false);
      expect(fileHash(master, 't2', bytes).equals(hash)).toBe(false);
      expect(fileHash(master, 't1', Buffer.concat([bytes, Buffer.from(' ')])).equals(hash)).toBe(false);
      expect(clientNumberHash(master, 't1', bytes.toString('utf8')).equals(hash)).toBe(false);
    });
  });
});
