import { defaultPayloadConverter } from '@temporalio/common';
import { randomBytes } from 'node:crypto';
import { EncryptionCodec } from '../../src/temporal/encryption-codec';

describe('EncryptionCodec', () => {
  const codec = new EncryptionCodec(randomBytes(32));
  const payload = defaultPayloadConverter.toPayload({ note: 'Files of a resident handed over' });

  it('encrypts a payload so its content cannot be read, and decrypts it back', async () => {
    const [encrypted] = await codec.encode([payload]);
    expect(Buffer.from(encrypted.data!).toString('utf8')).not.toContain('resident');
    const [decrypted] = await codec.decode([encrypted]);
    expect(defaultPayloadConverter.fromPayload(decrypted)).toEqual({ note: 'Files of a resident handed over' });
  });

  it('passes payloads written before encryption through unchanged', async () => {
    expect(await codec.decode([payload])).toEqual([payload]);
  });

  it('refuses a payload encrypted with another key, or changed on the way', async () => {
    const [foreign] = await new EncryptionCodec(randomBytes(32)).encode([payload]);
    await expect(codec.decode([foreign])).rejects.toThrow(/not with the configured key/);
    const [encrypted] = await codec.encode([payload]);
    const data = Buffer.from(encrypted.data!);
    data[20] ^= 0xff;
    await expect(codec.decode([{ ...encrypted, data }])).rejects.toThrow();
  });

  it('wants a 32-byte key', () => {
    expect(() => new EncryptionCodec(randomBytes(16))).toThrow(/32 bytes/);
  });
});
