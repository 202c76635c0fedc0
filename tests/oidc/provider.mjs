// provider.mjs: a real OpenID provider (the npm package oidc-provider) for
// Rapport's single sign-on tests, on loopback with keys of its own.
//
//   node tests/oidc/provider.mjs '{"clients": [{client_id, redirect_uris, ...}],
//                                  "accounts": {"email": {"sub", "name"}}}'
//
// Prints one JSON line {"issuer": "http://127.0.0.1:PORT"} once it listens.
// The sign-in page (/interaction/:uid) is a small form that asks for an
// e-mail address among the accounts and signs that account in, with its
// consent to openid, email and profile.
//
// For the refusal tests, POST /__test/mode {"mode": ...} makes the token
// endpoint misbehave from then on, re-signing the ID token it issued with
// jose: "wrong_key" (signed by a stranger's key under the provider's kid),
// "wrong_aud", "expired", "wrong_nonce", "unverified" (email_verified
// false), "rotate" (the provider rotates to a new RSA key: tokens are
// signed with it and the key set publishes it, the old one gone),
// "stale_auth" (auth_time an hour old, as a provider that did not honour
// prompt=login would say), "no_end_session" (the discovery document
// offers no RP-initiated logout), and "normal". POST /__test/accounts
// {"email": {...}} adds accounts.
//
// RP-initiated logout is oidc-provider's own (end_session_endpoint): it
// asks "Do you want to sign-out...?" with a form; "Yes, sign me out" ends
// the provider's session and sends the browser to the client's registered
// post_logout_redirect_uri with the state.
import http from 'node:http';
import * as jose from 'jose';
import Provider from 'oidc-provider';

const config = JSON.parse(process.argv[2] || '{}');
const accounts = new Map(Object.entries(config.accounts || {}));
let mode = 'normal';

async function keyPair(alg, kid) {
  const { publicKey, privateKey } = await jose.generateKeyPair(alg, { extractable: true });
  const priv = { ...(await jose.exportJWK(privateKey)), kid, alg, use: 'sig' };
  const pub = { ...(await jose.exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { priv, pub, privateKey };
}

const rsa = await keyPair('RS256', 'rsa-1');
const ec = await keyPair('ES256', 'ec-1');
const stranger = await keyPair('RS256', 'rsa-1'); // same kid, other key
const rotated = await keyPair('RS256', 'rsa-2');

const server = http.createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: config.clients || [],
  jwks: { keys: [rsa.priv, ec.priv] },
  cookies: { keys: ['rapport-test-cookie-key'] },
  conformIdTokenClaims: false, // the e-mail claims in the ID token itself
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  features: {
    devInteractions: { enabled: false },
    // the provider's own question, on a page of ours (its default one loads a web font)
    rpInitiatedLogout: {
      enabled: true,
      async logoutSource(ctx, form) {
        ctx.body = `<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Sign out</title><meta name="viewport" content="width=device-width"></head>
<body><main><h1>Do you want to sign out of the test identity provider?</h1>${form}
<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>
<button type="submit" form="op.logoutForm">No, stay signed in</button></main></body></html>`;
      },
    },
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  pkce: { required: () => true },
  ttl: { AuthorizationCode: 60, IdToken: 300, Interaction: 600, Session: 600, Grant: 600 },
  async findAccount(ctx, id) {
    const a = accounts.get(id);
    if (!a) return undefined;
    return {
      accountId: id,
      async claims() {
        return {
          sub: a.sub || `sub-${id}`, email: id, name: a.name || id,
          email_verified: mode === 'unverified' ? false : a.email_verified !== false,
        };
      },
    };
  },
});

async function resign(idToken, ctx) {
  const claims = jose.decodeJwt(idToken);
  const header = jose.decodeProtectedHeader(idToken);
  let key = header.alg === 'ES256' ? ec : rsa;
  const now = Math.floor(Date.now() / 1000);
  if (mode === 'wrong_key') key = stranger;
  if (mode === 'rotate') key = rotated;
  if (mode === 'wrong_aud') claims.aud = 'someone-else';
  if (mode === 'expired') Object.assign(claims, { iat: now - 7200, exp: now - 3600 });
  if (mode === 'wrong_nonce') claims.nonce = 'not-the-nonce-rapport-sent';
  if (mode === 'stale_auth') claims.auth_time = now - 3600;
  if (key === rsa && header.alg === 'ES256') key = ec;
  const alg = key === ec ? 'ES256' : 'RS256';
  return new jose.CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
    .setProtectedHeader({ alg, kid: key.pub.kid, typ: 'JWT' })
    .sign(key.privateKey);
}

provider.use(async (ctx, next) => {
  await next();
  if (ctx.path === '/.well-known/openid-configuration' && mode === 'no_end_session' && ctx.body) {
    const { end_session_endpoint: _, ...rest } = ctx.body;
    ctx.body = rest;
  }
  if (ctx.path === '/jwks' && mode === 'rotate') {
    ctx.body = { keys: [rotated.pub, ec.pub] };
  }
  if (ctx.path === '/token' && ctx.status === 200 && ctx.body && ctx.body.id_token &&
      !['normal', 'unverified'].includes(mode)) {
    ctx.body = { ...ctx.body, id_token: await resign(ctx.body.id_token, ctx) };
  }
});

function readBody(req) {
  return new Promise((resolve) => {
    let data = '';
    req.on('data', (c) => { data += c; });
    req.on('end', () => resolve(data));
  });
}

const page = (uid, error) => `<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Test identity provider</title><meta name="viewport" content="width=device-width"></head>
<body><main><h1>Test identity provider</h1>${error ? `<p role="alert">${error}</p>` : ''}
<form method="post" action="/interaction/${uid}/login">
<label for="email">E-mail</label> <input id="email" name="email" type="email" autocomplete="email" required>
<button type="submit">Sign in</button></form></main></body></html>`;

async function interaction(req, res) {
  const m = req.url.match(/^\/interaction\/([^/?]+)(\/login)?/);
  const uid = m[1];
  if (req.method === 'GET') {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(page(uid));
    return;
  }
  const form = new URLSearchParams(await readBody(req));
  const email = (form.get('email') || '').toLowerCase();
  if (!accounts.has(email)) {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(page(uid, 'No such account.'));
    return;
  }
  const details = await provider.interactionDetails(req, res);
  const grant = new provider.Grant({ accountId: email, clientId: details.params.client_id });
  grant.addOIDCScope('openid email profile');
  const grantId = await grant.save();
  await provider.interactionFinished(req, res, { login: { accountId: email }, consent: { grantId } },
    { mergeWithLastSubmission: false });
}

const callback = provider.callback();
server.on('request', async (req, res) => {
  try {
    if (req.url.startsWith('/interaction/')) return await interaction(req, res);
    if (req.url === '/__test/mode' && req.method === 'POST') {
      mode = JSON.parse(await readBody(req)).mode;
      res.writeHead(204);
      return res.end();
    }
    if (req.url === '/__test/accounts' && req.method === 'POST') {
      for (const [k, v] of Object.entries(JSON.parse(await readBody(req)))) accounts.set(k, v);
      res.writeHead(204);
      return res.end();
    }
    return callback(req, res);
  } catch (err) {
    res.writeHead(500, { 'Content-Type': 'text/plain' });
    res.end(String(err && err.stack || err));
  }
});

process.stdout.write(JSON.stringify({ issuer }) + '\n');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
