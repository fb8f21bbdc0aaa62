import { ArgumentMetadata, BadRequestException } from '@nestjs/common';
import { findUnacceptableText, RefuseControlCharactersPipe, textProblem } from '../../src/validation/control-characters.pipe';

const CONTROL = 'must not contain control characters';
const SURROGATE = 'must be valid Unicode text (no unpaired surrogates)';

const hex = (code: number) => `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;

describe('textProblem', () => {
  const c0 = Array.from({ length: 0x20 }, (_, code) => code).filter((code) => ![0x09, 0x0a, 0x0d].includes(code));
  const c1 = Array.from({ length: 0x20 }, (_, index) => 0x80 + index);

  it.each([...c0, 0x7f, ...c1].map((code) => [hex(code), code]))('refuses %s anywhere in the text', (_name, code) => {
    const char = String.fromCharCode(code as number);
    for (const text of [char, `a${char}`, `${char}b`, `a${char}b`]) expect(textProblem(text)).toBe(CONTROL);
  });

  it.each([
    ['plain text', 'Held at the district office'],
    ['Dutch and other letters', 'Overleg met de wijkraad — één keer, café “De Brug”, 10 €'],
    ['a tab', 'kolom\tkolom'],
    ['a line feed', 'regel 1\nregel 2'],
    ['CR LF line breaks, as a browser sends a textarea', 'regel 1\r\nregel 2\r\n'],
    ['a surrogate pair (emoji)', 'klaar 👍'],
    ['U+00A0 (just after the C1 controls)', 'a\u00a0b'],
    ['U+001F\'s neighbour, the space', ' '],
    ['the empty string', ''],
  ])('accepts %s', (_case, text) => {
    expect(textProblem(text)).toBeNull();
  });

  it.each([
    ['a lone CR', 'regel 1\rregel 2'],
    ['a CR at the end', 'regel 1\r'],
    ['CR CR LF', 'regel 1\r\r\n'],
    ['a NUL byte', 'feij\u0000enoord'],
    ['an escape sequence', '\u001b[31mred'],
    ['DEL', 'a\u007f'],
    ['NEL (C1)', 'a\u0085b'],
    ['CSI (C1)', '\u009b31m'],
  ])('refuses %s as a control character', (_case, text) => {
    expect(textProblem(text)).toBe(CONTROL);
  });

  it.each([
    ['a lone high surrogate', 'a\ud800b'],
    ['a high surrogate at the end', 'a\udbff'],
    ['a lone low surrogate', 'a\udc00b'],
    ['a low surrogate at the start', '\udfffa'],
    ['two high surrogates', '\ud83d\ud83d'],
    ['a pair reversed', '\udc4d\ud83d'],
  ])('refuses %s', (_case, text) => {
    expect(textProblem(text)).toBe(SURROGATE);
  });
});

describe('findUnacceptableText', () => {
  it('finds nothing in acceptable values, whatever their type', () => {
    expect(findUnacceptableText({ note: 'ok', count: 3, flag: true, none: null, list: ['a', 1], nested: { deep: ['b'] } })).toEqual([]);
    expect(findUnacceptableText(undefined)).toEqual([]);
    expect(findUnacceptableText(42)).toEqual([]);
  });

  it('names top-level fields by their name', () => {
    expect(findUnacceptableText({ note: 'a\u0000b', reason: 'fine' })).toEqual([`note ${CONTROL}`]);
  });

  it('names nested objects and arrays by their path', () => {
    expect(findUnacceptableText({ items: [{ note: 'ok' }, { note: 'x\u0007' }], meta: { tags: ['ok', '\ud800'] } })).toEqual([
      `items.1.note ${CONTROL}`,
      `meta.tags.1 ${SURROGATE}`,
    ]);
  });

  it('names every bad field, in document order', () => {
    expect(findUnacceptableText({ a: '\u0000', b: 'ok', c: ['\u0001', '\u0002'] })).toEqual([
      `a ${CONTROL}`,
      `c.0 ${CONTROL}`,
      `c.1 ${CONTROL}`,
    ]);
  });

  it('prefixes paths with the value\'s own name, and uses the root name for a bare value', () => {
    expect(findUnacceptableText('a\u0000', 'transitionId')).toEqual([`transitionId ${CONTROL}`]);
    expect(findUnacceptableText({ note: '\u0000' }, 'payload')).toEqual([`payload.note ${CONTROL}`]);
    expect(findUnacceptableText('\u0000', undefined, 'body')).toEqual([`body ${CONTROL}`]);
    expect(findUnacceptableText(['ok', '\u0000'], undefined, 'body')).toEqual([`body.1 ${CONTROL}`]);
  });

  it('refuses property names with control characters without repeating them', () => {
    const problems = findUnacceptableText({ 'no\u0000te': 'secret-value', nested: { 'x\u001b': 'y' } }, undefined, 'body');
    expect(problems).toEqual([
      'body must not have property names with control characters or unpaired surrogates',
      'nested must not have property names with control characters or unpaired surrogates',
    ]);
  });

  it('shows a property name in a path only as a plain identifier of at most 40 characters, else as *', () => {
    expect(findUnacceptableText({ ['k'.repeat(40)]: '\u0000' })).toEqual([`${'k'.repeat(40)} ${CONTROL}`]);
    expect(findUnacceptableText({ ['k'.repeat(10_000)]: '\u0000' })).toEqual([`* ${CONTROL}`]);
    expect(findUnacceptableText({ 'Jan Jansen, Dorpsstraat 1': { note: '\u0000' } })).toEqual([`*.note ${CONTROL}`]);
    expect(findUnacceptableText({ items: { 'leak-marker': ['\u0000'] } })).toEqual([`items.*.0 ${CONTROL}`]);
  });

  it('never repeats the text it refuses', () => {
    const problems = findUnacceptableText({ note: 'secret-marker\u0000', list: ['other-marker\ud800'] });
    expect(problems.join(' ')).not.toMatch(/marker/);
  });

  it('walks a very deeply nested value without exhausting the stack', () => {
    let value: unknown = '\u0000';
    for (let depth = 0; depth < 100_000; depth++) value = [value];
    const [problem] = findUnacceptableText(value, undefined, 'body');
    expect(problem).toBe(`${'body'}${'.0'.repeat(98)}… ${CONTROL}`);
  });
});

describe('RefuseControlCharactersPipe', () => {
  const pipe = new RefuseControlCharactersPipe();
  const meta = (type: ArgumentMetadata['type'], data?: string): ArgumentMetadata => ({ type, data });
  function refusal(value: unknown, metadata: ArgumentMetadata): unknown {
    try {
      pipe.transform(value, metadata);
    } catch (error) {
      expect(error).toBeInstanceOf(BadRequestException);
      return (error as BadRequestException).getResponse();
    }
    throw new Error('expected a refusal');
  }

  it.each(['body', 'query', 'param'] as const)('passes acceptable %s values through unchanged', (type) => {
    const value = { note: 'regel 1\r\nregel 2\tklaar' };
    expect(pipe.transform(value, meta(type))).toBe(value);
  });

  it('refuses a body with 400, naming the field and the rule, without the value', () => {
    const response = refusal({ note: 'marker\u0000' }, meta('body'));
    expect(response).toEqual({ statusCode: 400, error: 'Bad Request', message: [`note ${CONTROL}`] });
    expect(JSON.stringify(response)).not.toContain('marker');
  });

  it('refuses query values, repeated ones by their index', () => {
    expect(refusal({ state: ['open', '\u0000'] }, meta('query'))).toMatchObject({ message: [`state.1 ${CONTROL}`] });
  });

  it('refuses path parameters, whole or by name', () => {
    expect(refusal({ transitionId: 'rotterdam.x\u0000.2027-06-01' }, meta('param'))).toMatchObject({
      message: [`transitionId ${CONTROL}`],
    });
    expect(refusal('a\u0085', meta('param', 'taskId'))).toMatchObject({ message: [`taskId ${CONTROL}`] });
  });

  it('names a bare body "body"', () => {
    expect(refusal('\u0000', meta('body'))).toMatchObject({ message: [`body ${CONTROL}`] });
  });

  it('lists at most 20 problems and counts the rest', () => {
    const body = Object.fromEntries(Array.from({ length: 25 }, (_, index) => [`f${index}`, '\u0000']));
    const { message } = refusal(body, meta('body')) as { message: string[] };
    expect(message).toHaveLength(21);
    expect(message[20]).toBe('and 5 more fields with the same problems');
  });

  it('leaves custom parameters (such as the current user) alone', () => {
    const user = { name: '\u0000' };
    expect(pipe.transform(user, meta('custom'))).toBe(user);
  });
});
