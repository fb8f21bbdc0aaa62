/** The Overdracht HTTP API as a client sees it: bearer token, JSON in and out, the status expected. */
export class OverdrachtApi {
  constructor(private readonly baseUrl: string) {}

  async post(path: string, token: string, body: object, expectedStatus: number): Promise<unknown> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status !== expectedStatus) {
      throw new Error(`POST ${path}: ${response.status} (expected ${expectedStatus}): ${text.slice(0, 500)}`);
    }
    return text ? JSON.parse(text) : undefined;
  }
}
