/**
 * Signs in to the web pages as a browser does (the sign-in form with its CSRF token, then the
 * token posted once) and answers the session cookie to send with page requests.
 */
export async function signInToPages(baseUrl: string, token: string): Promise<string> {
  const form = await fetch(`${baseUrl}/inloggen`);
  const cookie = sessionCookieOf(form.headers.getSetCookie());
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1];
  if (!cookie || !csrf) throw new Error(`the sign-in page gave no ${cookie ? 'CSRF token' : 'session cookie'}`);
  const signedIn = await fetch(`${baseUrl}/inloggen`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf, token }).toString(),
  });
  const session = sessionCookieOf(signedIn.headers.getSetCookie());
  if (signedIn.status !== 303 || !session) throw new Error(`signing in answered ${signedIn.status}`);
  return session;
}

/** `name=value` of the first cookie set (the session's), without its attributes. */
function sessionCookieOf(setCookies: string[]): string | undefined {
  return setCookies[0]?.split(';')[0];
}
