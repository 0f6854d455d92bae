/** The S3_* environment contract: defaults, fallbacks, credentials sources and one-line errors. */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './config';

const BASE = { APP_SECRET: 'x'.repeat(40) };
const KEYS = { AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'very-secret-value-1234' };
const parse = (env: Record<string, string>) =>
  parseConfig({ ...BASE, DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'aist-cfg-')), ...env });

function problem(env: Record<string, string>): string {
  try {
    parse(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('S3 configuration', () => {
  it('is off without S3_BUCKET (attachments stay in DATA_DIR/uploads)', () => {
    expect(parse({ ...KEYS }).s3).toBeNull();
  });

  it('defaults the region to AWS_REGION, then us-east-1, and the prefix to attachments/', () => {
    expect(parse({ S3_BUCKET: 'district-files', ...KEYS }).s3).toEqual({
      bucket: 'district-files',
      region: 'us-east-1',
      endpoint: null,
      prefix: 'attachments/',
      credentials: {
        type: 'static',
        accessKeyId: 'AKIAEXAMPLE',
        secretAccessKey: 'very-secret-value-1234',
        sessionToken: null,
      },
    });
    expect(parse({ S3_BUCKET: 'b-1', AWS_REGION: 'eu-west-2', ...KEYS }).s3?.region).toBe('eu-west-2');
    expect(
      parse({ S3_BUCKET: 'b-1', AWS_REGION: 'eu-west-2', S3_REGION: 'ap-southeast-2', ...KEYS }).s3?.region,
    ).toBe('ap-southeast-2');
  });

  it('takes an endpoint (trailing slash dropped), a prefix (slash added; / for none) and a session token', () => {
    const s3 = parse({
      S3_BUCKET: 'minio-bucket',
      S3_ENDPOINT: 'http://127.0.0.1:9000/',
      S3_PREFIX: 'ai-studio/chat',
      AWS_SESSION_TOKEN: 'session',
      ...KEYS,
    }).s3!;
    expect(s3).toMatchObject({ endpoint: 'http://127.0.0.1:9000', prefix: 'ai-studio/chat/' });
    expect(s3.credentials).toMatchObject({ type: 'static', sessionToken: 'session' });
    expect(parse({ S3_BUCKET: 'b-1', S3_PREFIX: '/', ...KEYS }).s3?.prefix).toBe('');
  });

  it('uses the ECS task role when no keys are set (relative URI wins over a full one)', () => {
    expect(
      parse({
        S3_BUCKET: 'b-1',
        AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials/abc',
        AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://127.0.0.1:5000/creds',
      }).s3?.credentials,
    ).toEqual({
      type: 'container',
      relativeUri: '/v2/credentials/abc',
      fullUri: null,
      authorizationToken: null,
    });
    expect(
      parse({
        S3_BUCKET: 'b-1',
        AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://169.254.170.23/v1/credentials',
        AWS_CONTAINER_AUTHORIZATION_TOKEN: 'tok',
      }).s3?.credentials,
    ).toEqual({
      type: 'container',
      relativeUri: null,
      fullUri: 'http://169.254.170.23/v1/credentials',
      authorizationToken: 'tok',
    });
  });

  it.each([
    [{ S3_BUCKET: 'Bad_Bucket', ...KEYS }, /^S3_BUCKET: must be an S3 bucket name.* \(got "Bad_Bucket"\)$/],
    [{ S3_BUCKET: 'b-1', S3_REGION: 'Europe', ...KEYS }, /^S3_REGION: must be an AWS region/],
    [{ S3_BUCKET: 'b-1', AWS_REGION: 'mars', ...KEYS }, /^AWS_REGION: must be an AWS region/],
    [{ S3_BUCKET: 'b-1', S3_ENDPOINT: 'ftp://x', ...KEYS }, /^S3_ENDPOINT: must be an http\(s\) URL/],
    [{ S3_BUCKET: 'b-1', S3_PREFIX: '../escape/', ...KEYS }, /^S3_PREFIX: must be path segments/],
    [{ S3_BUCKET: 'b-1', S3_PREFIX: '/abs', ...KEYS }, /^S3_PREFIX: /],
    [{ S3_BUCKET: 'b-1' }, /^S3_BUCKET: is set but no AWS credentials are/],
    [{ S3_BUCKET: 'b-1', AWS_ACCESS_KEY_ID: 'AKIA' }, /^AWS_SECRET_ACCESS_KEY: is required/],
    [{ S3_BUCKET: 'b-1', AWS_SECRET_ACCESS_KEY: 'zzz' }, /^AWS_ACCESS_KEY_ID: is required/],
    [
      { S3_BUCKET: 'b-1', AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: 'v2/x' },
      /^AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: must be a path/,
    ],
    [
      { S3_BUCKET: 'b-1', AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://evil.example/creds' },
      /^AWS_CONTAINER_CREDENTIALS_FULL_URI: must be https, or http on a loopback/,
    ],
  ])('names the variable and the problem for %o', (env, expected) => {
    expect(problem(env)).toMatch(expected);
  });

  it('never echoes a secret access key in an error', () => {
    const message = problem({ S3_BUCKET: 'b-1', AWS_SECRET_ACCESS_KEY: 'very-secret-value-1234' });
    expect(message).not.toContain('very-secret-value-1234');
  });

  it('does not check AWS variables when S3 is off (Bedrock reads them through settings)', () => {
    expect(parse({ AWS_REGION: 'anything', AWS_ACCESS_KEY_ID: 'AKIA' }).s3).toBeNull();
  });
});
