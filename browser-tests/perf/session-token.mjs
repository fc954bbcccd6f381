// The perf scripts' sign-in: the session cookie's token of a user of a running HitKeep, for the browser contexts
// they open (signed in once, outside the timed loads).
export async function sessionToken(base, email, password) {
  const login = await fetch(`${base}/api/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: base, 'Sec-Fetch-Site': 'same-origin' },
    body: JSON.stringify({ email, password }),
  });
  if (login.status !== 200) throw new Error(`login: ${login.status} ${await login.text()}`);
  return login.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c.startsWith('hk_token=')).slice(9);
}
