/**
 * The attachments bucket under Pulumi mocks: private, encrypted, TLS-only, expired by a lifecycle rule after
 * the configured retention; the task role may touch objects under the attachments prefix only, and both
 * services are told where the bucket is (the env contract of api/config.ts: S3_BUCKET, S3_REGION, S3_PREFIX).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../api/config';
import { createLogger } from '../api/lib/logger';
import { S3ObjectStore } from '../api/lib/object-store.s3';
import { ABORT_MULTIPART_DAYS, AttachmentStorage, EXPIRY_MARGIN_DAYS } from './components/storage';
import { type MockedResource, resolve, runProgram } from './test-mocks';

const RETENTION_DAYS = 45;
// What the mocked provider names the auto-named bucket (test-mocks.ts).
const BUCKET = 'ais-attachments-0a1b2c3';
const BUCKET_ARN = `arn:aws:s3:::${BUCKET}`;

let run: Awaited<ReturnType<typeof runProgram>>;
beforeAll(async () => {
  run = await runProgram(
    {
      name: 'ais',
      appSecret: 'a-very-long-app-secret-for-tests-0123456789',
      dbPassword: 'db-password-0123456789',
      attachmentRetentionDays: String(RETENTION_DAYS),
    },
    ['appSecret', 'dbPassword'],
  );
}, 60_000);

const only = (type: string): MockedResource => {
  const found = run.ofType(type);
  expect(found).toHaveLength(1);
  return found[0]!;
};
const bucket = () => only('aws:s3/bucket:Bucket');
const taskRole = () => run.ofType('aws:iam/role:Role').find((r) => r.name === 'ais-app-task-role')!;
// biome-ignore lint/suspicious/noExplicitAny: policy documents are JSON
const statementsOf = (policy: string): any[] => JSON.parse(policy).Statement;
const envOf = (family: string) => {
  const td = run.ofType('aws:ecs/taskDefinition:TaskDefinition').find((t) => t.inputs.family === family)!;
  const [container] = JSON.parse(td.inputs.containerDefinitions as string);
  return {
    taskRoleArn: td.inputs.taskRoleArn as string,
    env: Object.fromEntries(
      (container.environment as { name: string; value: string }[]).map((e) => [e.name, e.value]),
    ),
  };
};

describe('attachments bucket', () => {
  it('is one bucket that a stack deletion does not empty, without versioning', () => {
    expect(bucket().inputs.forceDestroy).toBe(false);
    const versioning = run.ofType('aws:s3/bucketVersioning:BucketVersioning');
    expect(versioning.filter((v) => v.inputs.versioningConfiguration?.status === 'Enabled')).toEqual([]);
  });

  it('blocks every kind of public access and disables ACLs', () => {
    expect(only('aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock').inputs).toEqual({
      bucket: bucket().id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    expect(only('aws:s3/bucketOwnershipControls:BucketOwnershipControls').inputs).toEqual({
      bucket: bucket().id,
      rule: { objectOwnership: 'BucketOwnerEnforced' },
    });
  });

  it('encrypts objects by default', () => {
    const sse = only(
      'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration',
    );
    expect(sse.inputs.bucket).toBe(bucket().id);
    expect(sse.inputs.rules).toHaveLength(1);
    expect(['AES256', 'aws:kms']).toContain(
      sse.inputs.rules[0].applyServerSideEncryptionByDefault.sseAlgorithm,
    );
  });

  it('denies every request that does not use TLS, on the bucket and its objects', () => {
    const policy = only('aws:s3/bucketPolicy:BucketPolicy');
    expect(policy.inputs.bucket).toBe(bucket().id);
    expect(statementsOf(policy.inputs.policy)).toEqual([
      {
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: [BUCKET_ARN, `${BUCKET_ARN}/*`],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ]);
  });

  it('expires attachments a few days after the retention and aborts unfinished uploads', () => {
    const lifecycle = only('aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration');
    expect(lifecycle.inputs.bucket).toBe(bucket().id);
    expect(lifecycle.inputs.rules).toEqual([
      expect.objectContaining({
        status: 'Enabled',
        filter: { prefix: 'attachments/' },
        expiration: { days: RETENTION_DAYS + EXPIRY_MARGIN_DAYS },
        abortIncompleteMultipartUpload: { daysAfterInitiation: ABORT_MULTIPART_DAYS },
      }),
    ]);
    expect(EXPIRY_MARGIN_DAYS).toBeGreaterThanOrEqual(1);
  });

  it('refuses a retention that is not a whole number of days ≥ 1', () => {
    for (const retentionDays of [0, -1, 1.5, Number.NaN]) {
      expect(() => new AttachmentStorage('bad', { retentionDays })).toThrow(/retentionDays/);
    }
  });

  it('exports the bucket name', async () => {
    expect(await resolve(run.program.attachmentsBucketName)).toBe(BUCKET);
  });
});

describe('app access to attachments', () => {
  it('lets the task role put, get and delete objects under attachments/ and nothing else', () => {
    const role = taskRole();
    const rolePolicies = run.ofType('aws:iam/rolePolicy:RolePolicy').filter((p) => p.inputs.role === role.id);
    expect(rolePolicies.map((p) => p.name)).toEqual(['ais-app-task-attachments']);
    const attached = run
      .ofType('aws:iam/rolePolicyAttachment:RolePolicyAttachment')
      .filter((a) => a.inputs.role === role.name);
    expect(attached).toEqual([]);

    const statements = statementsOf(rolePolicies[0]!.inputs.policy);
    for (const s of statements) expect(s.Effect).toBe('Allow');
    const objects = statements.filter((s) => s.Resource !== BUCKET_ARN);
    expect(objects).toHaveLength(1);
    expect([objects[0].Action].flat().sort()).toEqual(['s3:DeleteObject', 's3:GetObject', 's3:PutObject']);
    expect(objects[0].Resource).toBe(`${BUCKET_ARN}/attachments/*`);
    expect(objects[0].Condition).toBeUndefined();

    // On the bucket itself: listing, and only of keys under the prefix (so a missing object reads as 404).
    const onBucket = statements.filter((s) => s.Resource === BUCKET_ARN);
    expect(onBucket).toEqual([
      expect.objectContaining({
        Action: 's3:ListBucket',
        Condition: { StringLike: { 's3:prefix': 'attachments/*' } },
      }),
    ]);
    expect(JSON.stringify(statements)).not.toMatch(/s3:\*|"\*"/);
  });

  it('runs web and worker tasks with that role and tells both where the bucket is', () => {
    const roleArn = `arn:aws:mock:us-east-1:123456789012:${taskRole().name}`;
    for (const family of ['ais-app-web', 'ais-app-worker']) {
      const { taskRoleArn, env } = envOf(family);
      expect(taskRoleArn).toBe(roleArn);
      expect(env).toMatchObject({ S3_BUCKET: BUCKET, S3_REGION: 'us-east-1', S3_PREFIX: 'attachments/' });
      // No static keys: the app takes the task role's credentials from the container endpoint.
      expect(env.AWS_ACCESS_KEY_ID).toBeUndefined();
      expect(env.S3_ENDPOINT).toBeUndefined();
    }
  });

  it('gives the app settings it accepts, whose object URLs fall under the granted prefix', () => {
    const { env } = envOf('ais-app-web');
    // What ECS adds to a task with a task role, plus the secrets it injects.
    const config = parseConfig({
      ...env,
      DATABASE_URL: 'postgresql://aistudio:pw@db.example:5432/aistudio',
      APP_SECRET: 'x'.repeat(40),
      AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials/0123',
    });
    expect(config.s3).toEqual({
      bucket: BUCKET,
      region: 'us-east-1',
      endpoint: null,
      prefix: 'attachments/',
      credentials: {
        type: 'container',
        relativeUri: '/v2/credentials/0123',
        fullUri: null,
        authorizationToken: null,
      },
    });
    const store = new S3ObjectStore({
      ...config.s3!,
      credentials: { get: () => Promise.reject(new Error('not used')) },
      log: createLogger({ level: 'silent' }),
    });
    const url = new URL(store.urlOf('user-1/attachment-1.png'));
    expect(url.protocol).toBe('https:'); // the bucket policy refuses anything else
    const objectArn = `arn:aws:s3:::${url.hostname.split('.s3.')[0]}${url.pathname}`;
    expect(objectArn).toBe(`${BUCKET_ARN}/attachments/user-1/attachment-1.png`);
    const granted = statementsOf(
      run.ofType('aws:iam/rolePolicy:RolePolicy').find((p) => p.name === 'ais-app-task-attachments')!.inputs
        .policy,
    ).find((st) => st.Action.includes('s3:GetObject')).Resource as string;
    expect(objectArn.startsWith(granted.replace(/\*$/, ''))).toBe(true);
  });
});
