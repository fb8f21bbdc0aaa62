import express from 'express';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { ReadCache } from '../../src/database/read-cache';
import { rememberedJson } from '../../src/http/remembered-json';

describe('rememberedJson (a cached read answered as JSON written once)', () => {
  const dataSource = { query: async () => [{ snapshot: '1:2:' }] } as unknown as DataSource;

  it('sends the same bytes, Content-Type and ETag as express, and the same bytes again', async () => {
    const cache = new ReadCache(dataSource);
    const page = { items: [{ transitionId: 'rotterdam.feijenoord.2027-03-31', at: new Date('2026-12-01T10:00:00Z'), note: 'ë <b>' }], nextCursor: null };
    let stringified = 0;
    const toJSON = JSON.stringify;
    const app = express();
    app.use(rememberedJson);
    app.get('/remembered', async (_req, res) => res.json(await cache.read('page', async () => page)));
    app.get('/plain', (_req, res) => res.json(structuredClone(page)));
    const plain = await request(app).get('/plain');
    JSON.stringify = ((...args: Parameters<typeof JSON.stringify>) => (stringified++, toJSON(...args))) as typeof JSON.stringify;
    try {
      const [first, second] = [await request(app).get('/remembered'), await request(app).get('/remembered')];
      for (const answer of [first, second]) {
        expect(answer.text).toBe(plain.text);
        expect(answer.headers['content-type']).toBe(plain.headers['content-type']);
        expect(answer.headers.etag).toBe(plain.headers.etag);
      }
      expect(stringified).toBe(1);
    } finally {
      JSON.stringify = toJSON;
    }
    const fresh = await request(app).get('/remembered').set('If-None-Match', plain.headers.etag);
    expect(fresh.status).toBe(304);
  });
});
