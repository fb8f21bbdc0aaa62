import { ForbiddenException } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { NextFunction, Request, Response } from 'express';
import { codecCors, parseOrigins, preflightFits } from '../../src/codec/codec-cors';
import { BASE64, PayloadsDto } from '../../src/codec/codec.dto';
import { decodeAuditStream } from '../../src/codec/decode-audit';
import { fromJson, toJson } from '../../src/codec/payload-json';
import { NAMESPACE_RULE, namespaceOf } from '../../src/codec/temporal-namespace';
import { validateEnvironment } from '../../src/config/environment';
import { validationMessages } from '../../src/validation/validation-errors';

describe('payloads as protobuf JSON', () => {
  it('reads base64 metadata and data, and writes them back', () => {
    const json = { metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: Buffer.from('"hoi"').toString('base64') };
    const payload = fromJson(json);
    expect(Buffer.from(payload.metadata!.encoding).toString()).toBe('json/plain');
    expect(Buffer.from(payload.data!).toString()).toBe('"hoi"');
    expect(toJson(payload)).toEqual(json);
  });

  it('reads a payload without metadata or data as empty', () => {
    expect(toJson(fromJson({}))).toEqual({ metadata: {}, data: '' });
  });
});

describe('the codec body', () => {
  const problems = (body: unknown) =>
    validationMessages(validateSync(plainToInstance(PayloadsDto, body), { whitelist: true, forbidNonWhitelisted: true }));

  it('takes payloads with base64 metadata and data', () => {
    expect(problems({ payloads: [{ metadata: { encoding: 'YmluYXJ5', 'encryption-key-id': 'YWJj' }, data: 'AAEC' }, {}] })).toEqual([]);
  });

  it('names the field and the rule of what it refuses', () => {
    expect(problems({ payloads: [{ data: 'not base64!' }] })).toEqual(['payloads.0.data must be a base64 string']);
    expect(problems({ payloads: [{}, { metadata: { ok: 'x y' } }] })).toEqual([
      expect.stringMatching(/^payloads\.1\.metadata must be an object of at most 32 entries/),
    ]);
    const many = Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, 'AA==']));
    expect(problems({ payloads: [{ metadata: many }] })).toHaveLength(1);
  });

  it('knows base64, standard or URL-safe, padded or not', () => {
    for (const good of ['', 'AA==', 'AA', 'AAA=', 'AAA', 'ab+/', 'ab-_']) expect(BASE64.test(good)).toBe(true);
    for (const bad of ['A', 'AAAAA', 'A===', '!!!!', 'AA==AA==']) expect(BASE64.test(bad)).toBe(false);
  });
});

describe('the namespace of a codec request', () => {
  it("is this service's namespace, named or not, or refused without repeating it", () => {
    expect(namespaceOf('default', 'default')).toBe('default');
    expect(namespaceOf(undefined, 'default')).toBe('default');
    for (const header of ['', 'other', 'default\n', 'Default']) {
      expect(() => namespaceOf(header, 'default')).toThrow(
        expect.objectContaining({ response: expect.objectContaining({ message: [NAMESPACE_RULE] }) }),
      );
    }
  });
});

describe('the audit stream of decodes', () => {
  it('is one per UTC day, in no municipality (codes have no colon)', () => {
    expect(decodeAuditStream(new Date('2026-11-30T23:59:59Z'))).toBe('codec-decodes:2026-11-30');
  });
});

describe('CORS of the codec route', () => {
  const origins = parseOrigins('http://localhost:8233, HTTPS://Temporal.example.org');

  it('reads TEMPORAL_UI_ORIGINS, lower case; none when unset', () => {
    expect([...origins]).toEqual(['http://localhost:8233', 'https://temporal.example.org']);
    expect(parseOrigins(undefined).size).toBe(0);
  });

  it("fits the UI's preflight, and nothing more", () => {
    expect(preflightFits('POST', 'authorization, content-type, x-namespace')).toBe(true);
    expect(preflightFits('POST', undefined)).toBe(true);
    expect(preflightFits('POST', 'x-custom')).toBe(false);
    expect(preflightFits('DELETE', 'content-type')).toBe(false);
  });

  function run(path: string, method: string, headers: Record<string, string>) {
    const response = { headers: {} as Record<string, string>, statusCode: 0, ended: false } as const;
    const res = {
      vary: (field: string) => void (response.headers.vary = field),
      setHeader: (name: string, value: string) => void (response.headers[name.toLowerCase()] = value),
      status(code: number) {
        (response as { statusCode: number }).statusCode = code;
        return { end: () => void ((response as { ended: boolean }).ended = true) };
      },
    } as unknown as Response;
    let passed: unknown = 'not called';
    codecCors(origins)({ path, method, headers } as unknown as Request, res, ((error?: unknown) => (passed = error)) as NextFunction);
    return { response, passed };
  }

  it('answers an allowed preflight itself', () => {
    const { response, passed } = run('/codec/decode', 'OPTIONS', {
      origin: 'http://localhost:8233',
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type,x-namespace',
    });
    expect(passed).toBe('not called');
    expect(response).toMatchObject({ statusCode: 204, ended: true });
    expect(response.headers['access-control-allow-origin']).toBe('http://localhost:8233');
  });

  it('refuses another origin, and passes a request without one', () => {
    expect(run('/codec/decode', 'POST', { origin: 'https://elsewhere.example' }).passed).toBeInstanceOf(ForbiddenException);
    const { passed, response } = run('/codec/decode', 'POST', {});
    expect(passed).toBeUndefined();
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('leaves every other route alone', () => {
    const { passed, response } = run('/transitions', 'OPTIONS', { origin: 'http://localhost:8233' });
    expect(passed).toBeUndefined();
    expect(response.headers).toEqual({});
  });
});

describe('the codec settings of the environment', () => {
  it('has no UI origin and a 4 MiB body limit by default', () => {
    const env = validateEnvironment({});
    expect(env.TEMPORAL_UI_ORIGINS).toBeUndefined();
    expect(env.CODEC_BODY_LIMIT_BYTES).toBe(4 * 1024 * 1024);
  });

  it('takes origins, comma-separated, and refuses anything else', () => {
    expect(validateEnvironment({ TEMPORAL_UI_ORIGINS: 'http://localhost:8233,https://ui.example.org' }).TEMPORAL_UI_ORIGINS).toBe(
      'http://localhost:8233,https://ui.example.org',
    );
    for (const bad of ['*', 'localhost:8233', 'http://ui.example.org/', 'http://a, http://b', 'ftp://ui.example.org']) {
      expect(() => validateEnvironment({ TEMPORAL_UI_ORIGINS: bad })).toThrow(/TEMPORAL_UI_ORIGINS must be origins/);
    }
  });
});
