/** The Overdracht HTTP API as a client sees it: bearer token, JSON in and out, the status expected. */
export class OverdrachtApi {
  constructor(private readonly baseUrl: string) {}

  post(path: string, token: string, body: object, expectedStatus: number): Promise<unknown> {
    return this.request('POST', path, token, expectedStatus, { contentType: 'application/json', body: JSON.stringify(body) });
  }

  /** A body of bytes (a CSV, a file), sent as `contentType`. */
  postBytes(path: string, token: string, contentType: string, body: Uint8Array, expectedStatus: number): Promise<unknown> {
    return this.request('POST', path, token, expectedStatus, { contentType, body });
  }

  get(path: string, token: string, expectedStatus = 200): Promise<unknown> {
    return this.request('GET', path, token, expectedStatus);
  }

  private async request(
    method: 'GET' | 'POST',
    path: string,
    token: string,
    expectedStatus: number,
    content?: { contentType: string; body: string | Uint8Array },
  ): Promise<unknown> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(content ? { 'content-type': content.contentType } : {}) },
      body: content?.body,
    });
    const text = await response.text();
    if (response.status !== expectedStatus) {
      throw new ApiError(`${method} ${path}: ${response.status} (expected ${expectedStatus}): ${text.slice(0, 500)}`, response.status, messageOf(text));
    }
    return text ? JSON.parse(text) : undefined;
  }
}

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    /** The answer's own `message`, when it has one. */
    readonly answer?: string,
  ) {
    super(message);
  }
}

function messageOf(text: string): string | undefined {
  try {
    const { message } = JSON.parse(text) as { message?: unknown };
    return typeof message === 'string' ? message : Array.isArray(message) ? message.join('; ') : undefined;
  } catch {
    return undefined;
  }
}
