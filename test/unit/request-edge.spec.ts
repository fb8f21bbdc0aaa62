import { ArgumentMetadata, BadRequestException, HttpException, ValidationPipe } from '@nestjs/common';
import { validateEnvironment } from '../../src/config/environment';
import { hasBody, isJsonContentType } from '../../src/http/content-type';
import { BODY_NOT_JSON, refuseInvalidUtf8, translateBodyError } from '../../src/http/request-edge';
import { PATH_NOT_UTF8, requestTargetProblems, URL_NOT_ASCII } from '../../src/http/request-url';
import { CompleteTaskDto } from '../../src/tasks/task.dto';
import { CreateTransitionDto } from '../../src/transitions/dto/create-transition.dto';
import { withoutEchoedIds } from '../../src/transitions/command-errors';
import {
  BODY_NOT_OBJECT,
  depthRule,
  findStructureProblems,
  forbiddenPropertyRule,
  MAX_BODY_DEPTH,
  RefuseUnsafeStructurePipe,
} from '../../src/validation/json-structure.pipe';
import { validationException } from '../../src/validation/validation-errors';

const notUtf8 = (name: string) => `${name} must be percent-encoded UTF-8 (no invalid, overlong or truncated byte sequences)`;

describe('requestTargetProblems', () => {
  it.each([
    ['/transitions'],
    ['/transitions?municipality=rotterdam&state=open'],
    ['/transitions?note=caf%C3%A9%20%E2%82%AC%F0%9F%91%8D'],
    ['/transitions?state=%00'], // valid UTF-8: the control-character pipe names it
    ['/audit/verify?streamId=a+b'],
    ['/transitions/rotterdam.feijenoord.2027-06-01/tasks/kick-off/complete'],
    ['/transitions?'],
    ['/transitions?flag'],
  ])('accepts %s', (target) => {
    expect(requestTargetProblems(target)).toEqual([]);
  });

  it.each([
    ['%FF', '%FF'],
    ['a lead byte without continuation', '%C3%28'],
    ['an overlong /', '%C0%AF'],
    ['an overlong three-byte sequence', '%E0%80%AF'],
    ['an encoded surrogate', '%ED%A0%80'],
    ['a code point above U+10FFFF', '%F4%90%80%80'],
    ['a truncated sequence', '%E2%82'],
    ['a lone continuation byte', '%80'],
    ['a % without hex digits', '%G1'],
    ['a % at the end', '%'],
  ])('refuses %s in a query value, naming the parameter', (_case, bad) => {
    expect(requestTargetProblems(`/transitions?municipality=rotter${bad}`)).toEqual([notUtf8('municipality')]);
  });

  it.each([['%FF'], ['%C0%AF'], ['%E2%82'], ['%ZZ']])('refuses %s in a path segment', (bad) => {
    expect(requestTargetProblems(`/transitions/rotterdam.${bad}.2027-06-01`)).toEqual([PATH_NOT_UTF8]);
  });

  it('names a parameter only when its name is a plain identifier', () => {
    expect(requestTargetProblems('/t?Jan%20Jansen=%FF')).toEqual([notUtf8('query')]);
    expect(requestTargetProblems('/t?na%FFme=1')).toEqual([notUtf8('query')]);
    expect(requestTargetProblems(`/t?${'a'.repeat(41)}=%FF`)).toEqual([notUtf8('query')]);
  });

  it('lists each problem once', () => {
    expect(requestTargetProblems('/a%FF/b%FF?x=%FF&x=%FE')).toEqual([PATH_NOT_UTF8, notUtf8('x')]);
  });

  it.each([['a byte above 0x7F', '/transitions?m=rotter\u00ffdam'], ['a space', '/transitions?m=a b'], ['a control character', '/transitions\u0000']])(
    'refuses %s in the URL itself',
    (_case, target) => {
      expect(requestTargetProblems(target)).toEqual([URL_NOT_ASCII]);
    },
  );
});

describe('isJsonContentType', () => {
  it.each([['application/json'], ['Application/JSON'], ['application/json; charset=utf-8'], ['application/json;charset=UTF-8'], ['application/json; charset="utf-8"'], ['application/json;']])(
    'accepts %s',
    (header) => {
      expect(isJsonContentType(header)).toBe(true);
    },
  );

  it.each([
    [undefined],
    [''],
    ['text/plain'],
    ['application/x-www-form-urlencoded'],
    ['multipart/form-data; boundary=x'],
    ['application/merge-patch+json'],
    ['text/json'],
    ['application/json; charset=iso-8859-1'],
    ['application/json; charset=utf-16'],
    ['application/json; boundary=x'],
    ['application/jsonx'],
  ])('refuses %s', (header) => {
    expect(isJsonContentType(header)).toBe(false);
  });
});

describe('hasBody', () => {
  it.each([
    [{}, false],
    [{ 'content-length': '0' }, false],
    [{ 'content-length': '2' }, true],
    [{ 'transfer-encoding': 'chunked' }, true],
  ])('%p -> %p', (headers, expected) => {
    expect(hasBody(headers)).toBe(expected);
  });
});

describe('the body parser, as refusals', () => {
  it('refuses bytes that are not UTF-8, and lets UTF-8 through', () => {
    expect(() => refuseInvalidUtf8(null, null, Buffer.from('{"note":"café €"}'))).not.toThrow();
    expect(() => refuseInvalidUtf8(null, null, Buffer.from([0x7b, 0xff, 0x7d]))).toThrow('body must be valid UTF-8');
  });

  it('answers its errors with the rule, never with the body or the message that quotes it', () => {
    const parseError = Object.assign(new SyntaxError('Unexpected token l in JSON: "leakmarker"'), {
      type: 'entity.parse.failed',
      status: 400,
      body: '{"leakmarker',
    });
    const refused = translateBodyError(parseError, 32768) as HttpException;
    expect(refused).toBeInstanceOf(BadRequestException);
    expect(JSON.stringify(refused.getResponse())).not.toContain('leakmarker');
    expect(refused.message).toBe(BODY_NOT_JSON);
    const tooLarge = translateBodyError({ type: 'entity.too.large', status: 413, body: 'leakmarker' }, 32768) as HttpException;
    expect([tooLarge.getStatus(), tooLarge.message]).toEqual([413, 'body must be at most 32768 bytes']);
    const charset = translateBodyError({ type: 'charset.unsupported', message: 'unsupported charset "LEAKMARKER"' }, 1) as HttpException;
    expect(charset.getStatus()).toBe(415);
    expect(JSON.stringify(charset.getResponse())).not.toContain('LEAKMARKER');
    const other = new Error('something else');
    expect(translateBodyError(other, 1)).toBe(other);
  });
});

describe('findStructureProblems', () => {
  const nested = (levels: number) => JSON.parse(`${'['.repeat(levels - 1)}{}${']'.repeat(levels - 1)}`);

  it(`accepts ${MAX_BODY_DEPTH} levels and refuses ${MAX_BODY_DEPTH + 1}`, () => {
    expect(findStructureProblems(nested(MAX_BODY_DEPTH), 'body')).toEqual([]);
    expect(findStructureProblems(nested(MAX_BODY_DEPTH + 1), 'body')).toEqual([depthRule('body')]);
  });

  it('walks 100,000 levels without exhausting the stack', () => {
    let value: unknown = 'x';
    for (let level = 0; level < 100_000; level++) value = [value];
    expect(findStructureProblems({ note: value }, 'body')).toEqual([depthRule('body')]);
  });

  it.each([
    ['__proto__ as JSON.parse makes it', '{"__proto__": {"isAdmin": true}}'],
    ['constructor', '{"constructor": {"prototype": {}}}'],
    ['prototype', '{"prototype": 1}'],
    ['__proto__ deep in arrays', '{"a": [1, [{"b": {"__proto__": null}}]]}'],
  ])('refuses %s', (_case, text) => {
    expect(findStructureProblems(JSON.parse(text), 'body')).toEqual([forbiddenPropertyRule('body')]);
  });

  it('names both rules once when both are broken', () => {
    const value = JSON.parse(`{"__proto__": 1, "a": ${'['.repeat(40)}${']'.repeat(40)}, "constructor": 2}`);
    expect(findStructureProblems(value, 'body')).toEqual([depthRule('body'), forbiddenPropertyRule('body')]);
  });

  it('finds them in a query object without a prototype', () => {
    const query = Object.assign(Object.create(null), { constructor: 'x' });
    expect(findStructureProblems(query, 'query')).toEqual([forbiddenPropertyRule('query')]);
  });

  it('accepts ordinary bodies, and text that merely mentions the names', () => {
    expect(findStructureProblems({ note: '__proto__ constructor prototype', list: ['constructor'] }, 'body')).toEqual([]);
  });
});

describe('RefuseUnsafeStructurePipe', () => {
  const pipe = new RefuseUnsafeStructurePipe();
  const body: ArgumentMetadata = { type: 'body' };
  const messages = (value: unknown, metadata: ArgumentMetadata = body) => {
    try {
      pipe.transform(value, metadata);
      return [];
    } catch (error) {
      return ((error as BadRequestException).getResponse() as { message: string[] }).message;
    }
  };

  it('wants a whole body to be an object; no body at all counts as {}', () => {
    expect(messages([{ note: 'x' }])).toEqual([BODY_NOT_OBJECT]);
    expect(messages('x')).toEqual([BODY_NOT_OBJECT]);
    expect(messages(null)).toEqual([BODY_NOT_OBJECT]);
    expect(messages(undefined)).toEqual([]);
    expect(messages({})).toEqual([]);
  });

  it('leaves path parameters to the other pipes', () => {
    expect(messages('__proto__', { type: 'param', data: 'taskId' })).toEqual([]);
  });
});

describe('validation messages', () => {
  const pipe = new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: true, value: false },
    exceptionFactory: validationException,
  });
  const refusal = async (value: object, metatype: new () => object) => {
    try {
      await pipe.transform(value, { type: 'body', metatype });
      return [];
    } catch (error) {
      return ((error as BadRequestException).getResponse() as { message: string[] }).message;
    }
  };

  it('refuses unknown properties once, listing the allowed ones and never their names', async () => {
    const messages = await refusal({ note: 'ok', 'Jan Jansen, leakmarker': 1, leakmarkerTwo: 2 }, CompleteTaskDto);
    expect(messages).toEqual(['unknown property (only these are allowed: note)']);
  });

  it('keeps the rules of known fields as they are', async () => {
    const messages = await refusal({ note: 5, budget: 1 }, CompleteTaskDto);
    expect(messages).toEqual(expect.arrayContaining(['note must be text', 'unknown property (only these are allowed: note)']));
    expect(messages.join(' ')).not.toContain('budget');
    const create = await refusal({ municipality: 'rotterdam', extra: 1 }, CreateTransitionDto);
    expect(create).toContain('unknown property (only these are allowed: municipality, district, outgoingProvider, incomingProvider, goLiveDate, template)');
    expect(create.join(' ')).not.toContain('extra');
  });
});

describe('withoutEchoedIds (the first release’s refusals)', () => {
  it.each([
    ['task leakmarker-1 does not exist in rotterdam.x.2027-06-01', 'the task does not exist in this handover'],
    ['milestone leakmarker-2 does not exist in rotterdam.x.2027-06-01', 'the milestone does not exist in this handover'],
    ['task kick-off is already done', 'task kick-off is already done'],
  ])('%s -> %s', (message, answer) => {
    expect(withoutEchoedIds(message)).toBe(answer);
  });
});

describe('edge settings', () => {
  it('has defaults: a 32 KiB body, 10 failed authentications a minute, then 5 minutes blocked', () => {
    expect(validateEnvironment({})).toMatchObject({
      REQUEST_BODY_LIMIT_BYTES: 32768,
      AUTH_FAILURE_LIMIT: 10,
      AUTH_FAILURE_WINDOW_SECONDS: 60,
      AUTH_FAILURE_BLOCK_SECONDS: 300,
    });
    expect(validateEnvironment({ REQUEST_BODY_LIMIT_BYTES: '65536', AUTH_FAILURE_LIMIT: '3' })).toMatchObject({ REQUEST_BODY_LIMIT_BYTES: 65536, AUTH_FAILURE_LIMIT: 3 });
  });

  it.each([
    [{ REQUEST_BODY_LIMIT_BYTES: '100' }, /REQUEST_BODY_LIMIT_BYTES/],
    [{ REQUEST_BODY_LIMIT_BYTES: '1mb' }, /REQUEST_BODY_LIMIT_BYTES/],
    [{ AUTH_FAILURE_LIMIT: '0' }, /AUTH_FAILURE_LIMIT/],
    [{ AUTH_FAILURE_WINDOW_SECONDS: 'a minute' }, /AUTH_FAILURE_WINDOW_SECONDS/],
    [{ AUTH_FAILURE_BLOCK_SECONDS: '-1' }, /AUTH_FAILURE_BLOCK_SECONDS/],
  ])('refuses %p naming the variable', (raw, name) => {
    expect(() => validateEnvironment(raw)).toThrow(name);
  });
});
