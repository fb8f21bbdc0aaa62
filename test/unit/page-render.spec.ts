import express from 'express';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nunjucks from 'nunjucks';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { ReadCache } from '../../src/database/read-cache';
import type { PageLocals } from '../../src/web/page-locals';
import { sendPage } from '../../src/web/page-render';

describe('sendPage (a page rendered once per remembered view model and layout)', () => {
  const dataSource = { query: async () => [{ snapshot: '1:2:' }] } as unknown as DataSource;
  const folder = mkdtempSync(join(tmpdir(), 'page-render-'));
  writeFileSync(
    join(folder, 'taken.njk'),
    '{{ rendered() }}<p>{{ user.organisation }}</p><form><input name="_csrf" value="{{ csrfToken }}"></form>' +
      '{% if flash %}<p role="status">{{ flash }}</p>{% endif %}' +
      '{% for task in tasks %}<form><input name="_csrf" value="{{ csrfToken }}">{{ task }}</form>{% endfor %}{% if refusal %}<p>{{ refusal }}</p>{% endif %}',
  );
  let renders = 0;
  const app = express();
  nunjucks.configure(folder, { autoescape: true, express: app }).addGlobal('rendered', () => (renders++, ''));
  app.set('view engine', 'njk');
  const model = { tasks: ['Sleutels <overdragen>', 'Dossiers'] };
  let page: object = model;
  let locals: PageLocals = { csrfToken: 'a1', path: '/taken' };
  app.get('/taken', (_req, res, next) => sendPage(res, 'taken', locals, page).catch(next));
  app.head('/taken', (_req, res, next) => sendPage(res, 'taken', locals, page).catch(next));
  const remembered = () => new ReadCache(dataSource).read('inbox', async () => structuredClone(model));
  /** As csrf-sync makes them: 128 random bytes in hex. */
  const tokenOf = (user: string) => user.charCodeAt(0).toString(16).repeat(128);
  const as = (organisation: string, token: string, flash?: string): PageLocals => ({ user: { role: 'provider', organisation }, csrfToken: token, path: '/taken', flash });
  beforeEach(() => (renders = 0));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('renders a remembered model once per layout, with each request its own token in every form', async () => {
    page = await remembered();
    locals = as('welzijn-maas', tokenOf('a'));
    const first = await request(app).get('/taken');
    locals = as('welzijn-maas', tokenOf('b'));
    const second = await request(app).get('/taken');
    expect(renders).toBe(1);
    expect(second.text.match(new RegExp(`value="${tokenOf('b')}"`, 'g'))).toHaveLength(3);
    expect(second.text).not.toContain(tokenOf('a'));
    expect(second.text).not.toContain('\u0000');
    expect(first.text.replaceAll(tokenOf('a'), tokenOf('b'))).toBe(second.text);
    expect(second.text).toContain('Sleutels &lt;overdragen&gt;');
    // Another organisation's layout is rendered on its own.
    locals = as('samen-sterk', tokenOf('c'));
    const other = await request(app).get('/taken');
    expect(renders).toBe(2);
    expect(other.text).toContain('<p>samen-sterk</p>');
  });

  it('sends text/html with its length, without an ETag, and no body to HEAD', async () => {
    page = await remembered();
    locals = as('welzijn-maas', tokenOf('a'));
    const answer = await request(app).get('/taken');
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(Number(answer.headers['content-length'])).toBe(Buffer.byteLength(answer.text));
    expect(answer.headers.etag).toBeUndefined();
    const head = await request(app).head('/taken');
    expect(head.headers['content-length']).toBe(answer.headers['content-length']);
    expect(head.text).toBeUndefined();
  });

  it('renders for its request alone a page with a message, a model the cache did not answer, or a token it cannot put in as it is', async () => {
    page = await remembered();
    locals = as('welzijn-maas', tokenOf('a'), 'De taak is afgerond.');
    expect((await request(app).get('/taken')).text).toContain('<p role="status">De taak is afgerond.</p>');
    page = { ...(await remembered()), refusal: 'Vul een notitie in.' };
    locals = as('welzijn-maas', tokenOf('a'));
    expect((await request(app).get('/taken')).text).toContain('<p>Vul een notitie in.</p>');
    await request(app).get('/taken');
    page = await remembered();
    locals = as('welzijn-maas', '"><b>');
    expect((await request(app).get('/taken')).text).toContain('value="&quot;&gt;&lt;b&gt;"');
    expect(renders).toBe(4);
  });
});
