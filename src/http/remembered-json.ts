import type { RequestHandler, Response } from 'express';
import { isRemembered } from '../database/read-cache';

/** A remembered read's answer as JSON, with its ETag (as express makes them), written once. */
const written = new WeakMap<object, { body: Buffer; etag: string | undefined }>();

/**
 * `res.json` of an answer the ReadCache remembered (a page of handovers, a detail, …) sends the
 * JSON written for it the first time instead of serialising the same object again for every
 * request: the same bytes, Content-Type and ETag as express's own `res.json` with its default
 * settings (with other JSON settings, or any other body, express's own runs).
 */
export const rememberedJson: RequestHandler = (_request, response, next) => {
  const json = response.json;
  response.json = function (this: Response, body?: unknown) {
    const app = this.app;
    if (!isRemembered(body) || app.get('json replacer') || app.get('json spaces') || app.get('json escape')) return json.call(this, body);
    let known = written.get(body);
    if (!known) {
      const text = Buffer.from(JSON.stringify(body), 'utf8');
      const etagOf = app.get('etag fn') as ((body: Buffer) => string) | undefined;
      known = { body: text, etag: typeof etagOf === 'function' ? etagOf(text) : undefined };
      written.set(body, known);
    }
    if (!this.get('Content-Type')) this.set('Content-Type', 'application/json; charset=utf-8');
    if (known.etag && !this.get('ETag')) this.set('ETag', known.etag);
    return this.send(known.body);
  } as Response['json'];
  next();
};
