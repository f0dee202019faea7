// Starts s3rver (the npm package, installed by with_s3rver.sh) on 127.0.0.1 with a free port and
// prints "S3rver listening on 127.0.0.1:<port>".
//
// s3rver 3.7.1 accepts any well-formed SigV4 Authorization header ("Signature version 4
// calculation is unimplemented" in its lib/middleware/authentication.js), so this launcher puts a
// check in front of its routes, written from AWS's specification with Node's crypto: the request
// signature (an unknown access key is left to s3rver's own InvalidAccessKeyId) and, for PUT, the
// body's SHA-256 against x-amz-content-sha256, as S3 does.
//
// Usage: node start_s3rver.js NPM_PREFIX DATA_DIR BUCKET
'use strict';

const crypto = require('crypto');
const path = require('path');

const [prefix, dataDir, bucket] = process.argv.slice(2);
const s3rverDir = path.join(prefix, 'node_modules', 's3rver');
const S3rver = require(s3rverDir);
const S3Error = require(path.join(s3rverDir, 'lib', 'models', 'error'));

const SECRETS = { S3RVER: 'S3RVER' };  // s3rver's built-in account

const hmac = (key, data) => crypto.createHmac('sha256', key).update(data).digest();
const sha256Hex = data => crypto.createHash('sha256').update(data).digest('hex');

// RFC 3986 unreserved characters stay; everything else is %XX (S3's UriEncode).
const uriEncode = text =>
  encodeURIComponent(text).replace(/[!'()*]/g, c => '%' + c.charCodeAt(0).toString(16).toUpperCase());

const canonicalPath = rawPath =>
  rawPath.split('/').map(segment => uriEncode(decodeURIComponent(segment))).join('/');

function canonicalQuery(rawQuery) {
  if (!rawQuery) return '';
  return rawQuery
    .split('&')
    .map(pair => {
      const [name, value = ''] = pair.split('=');
      return uriEncode(decodeURIComponent(name)) + '=' + uriEncode(decodeURIComponent(value));
    })
    .sort()
    .join('&');
}

const AUTH = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([a-z0-9-]+)\/s3\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;

function refuse(code, message) {
  const error = new S3Error(code, message);
  if (error.status === 500) error.status = 400;  // codes s3rver does not know are client errors
  return error;
}

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks);
}

async function checkSigV4(ctx, next) {
  const authorization = ctx.get('authorization');
  if (!authorization.startsWith('AWS4-HMAC-SHA256')) return next();
  const match = AUTH.exec(authorization);
  if (!match) throw refuse('AuthorizationHeaderMalformed', 'The authorization header is malformed.');
  const [, accessKey, day, region, signedHeaders, signature] = match;
  const secret = SECRETS[accessKey];
  if (secret === undefined) return next();  // s3rver answers InvalidAccessKeyId
  const names = signedHeaders.split(';');
  for (const required of ['host', 'x-amz-content-sha256', 'x-amz-date']) {
    if (!names.includes(required)) throw refuse('AccessDenied', `${required} must be signed`);
  }
  const amzDate = ctx.get('x-amz-date');
  if (amzDate.slice(0, 8) !== day) throw refuse('AuthorizationHeaderMalformed', 'credential date mismatch');
  const payloadHash = ctx.get('x-amz-content-sha256');
  const [rawPath, rawQuery] = ctx.originalUrl.split('?');
  const headers = names.map(name => `${name}:${String(ctx.req.headers[name] || '').trim().replace(/\s+/g, ' ')}\n`);
  const canonical = [ctx.method, canonicalPath(rawPath), canonicalQuery(rawQuery), headers.join(''),
                     signedHeaders, payloadHash].join('\n');
  const scope = `${day}/${region}/s3/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac('AWS4' + secret, day), region), 's3'), 'aws4_request');
  if (hmac(key, toSign).toString('hex') !== signature) {
    console.error('SignatureDoesNotMatch; canonical request:\n' + canonical);
    throw refuse('SignatureDoesNotMatch',
                 'The request signature we calculated does not match the signature you provided.');
  }
  if (ctx.method === 'PUT' && /^[0-9a-f]{64}$/.test(payloadHash)) {
    const body = await readBody(ctx.req);
    if (sha256Hex(body) !== payloadHash) {
      throw refuse('XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match.");
    }
    ctx.req = body;  // s3rver's store takes a Buffer body as it is
  }
  return next();
}

async function main() {
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: dataDir,
    configureBuckets: [{ name: bucket, configs: [] }],
  });
  server.middleware.unshift(checkSigV4);  // Koa composes middleware when run() listens
  const { port } = await server.run();
  console.log(`S3rver listening on 127.0.0.1:${port}`);
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
