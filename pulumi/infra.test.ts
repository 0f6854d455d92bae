/**
 * The full production shape (HTTPS certificate + Redis) under Pulumi mocks: what the engine would be asked
 * to create. Security properties first, then the app contract (health path, env, commands), then outputs.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { KEEP_ALIVE_TIMEOUT_MS } from '../api/lib/keep-alive';
import { RDS_CA_BUNDLE } from './components/service';
import { type MockedResource, resolve, runProgram, secretValue } from './test-mocks';

const APP_SECRET = 'a-very-long-app-secret-for-tests-0123456789';
const DB_PASSWORD = 'db-pass+word=with:chars';
const REDIS_TOKEN = 'redis-token-0123456789';
const CERT = 'arn:aws:acm:us-east-1:123456789012:certificate/abc';

let run: Awaited<ReturnType<typeof runProgram>>;
beforeAll(async () => {
  run = await runProgram(
    {
      name: 'ais',
      appSecret: APP_SECRET,
      dbPassword: DB_PASSWORD,
      redis: 'true',
      redisAuthToken: REDIS_TOKEN,
      certificateArn: CERT,
      appUrl: 'https://ai.district.example',
      webCount: '3',
      workerCount: '2',
      textract: 'true',
    },
    ['appSecret', 'dbPassword', 'redisAuthToken'],
  );
}, 60_000);

const ingressOf = (sgId: string) =>
  run
    .ofType('aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule')
    .filter((r) => r.inputs.securityGroupId === sgId);
const sgId = (name: string) =>
  run.resources.find((r) => r.type === 'aws:ec2/securityGroup:SecurityGroup' && r.name === name)!.id;
// biome-ignore lint/suspicious/noExplicitAny: container definitions are JSON
const containers = (family: string): any[] => {
  const td = run.ofType('aws:ecs/taskDefinition:TaskDefinition').find((t) => t.inputs.family === family);
  return JSON.parse(td!.inputs.containerDefinitions as string);
};
const envOf = (c: { environment: { name: string; value: string }[] }) =>
  Object.fromEntries(c.environment.map((e) => [e.name, e.value]));
const secretString = (name: string) =>
  secretValue(
    run.ofType('aws:secretsmanager/secretVersion:SecretVersion').find((r) => r.name === name)!.inputs
      .secretString,
  );

describe('network security', () => {
  it('admits the web tasks only from the load balancer, on 3000', () => {
    const rules = ingressOf(sgId('ais-web-sg'));
    expect(rules).toHaveLength(1);
    expect(rules[0]!.inputs).toMatchObject({
      referencedSecurityGroupId: sgId('ais-alb-sg'),
      fromPort: 3000,
      toPort: 3000,
    });
    expect(rules[0]!.inputs.cidrIpv4).toBeUndefined();
  });

  it('admits nothing to the worker tasks', () => {
    expect(ingressOf(sgId('ais-worker-sg'))).toEqual([]);
  });

  it('opens only 80 and 443 to the internet, and only on the load balancer', () => {
    const open = run
      .ofType('aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule')
      .filter((r) => r.inputs.cidrIpv4 || r.inputs.cidrIpv6);
    expect(open.length).toBeGreaterThan(0);
    for (const rule of open) {
      expect(rule.inputs.securityGroupId).toBe(sgId('ais-alb-sg'));
      expect([80, 443]).toContain(rule.inputs.fromPort);
    }
    const albOut = run
      .ofType('aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule')
      .filter((r) => r.inputs.securityGroupId === sgId('ais-alb-sg'));
    expect(albOut.map((r) => r.inputs)).toEqual([
      expect.objectContaining({ referencedSecurityGroupId: sgId('ais-web-sg'), fromPort: 3000 }),
    ]);
  });

  it('lets only web and worker tasks reach Aurora (5432) and Redis (6379)', () => {
    const tasks = [sgId('ais-web-sg'), sgId('ais-worker-sg')].sort();
    for (const [sg, port] of [
      ['ais-db-sg', 5432],
      ['ais-cache-sg', 6379],
    ] as const) {
      const rules = ingressOf(sgId(sg));
      expect(rules.map((r) => r.inputs.referencedSecurityGroupId).sort()).toEqual(tasks);
      for (const r of rules)
        expect([r.inputs.fromPort, r.inputs.toPort, r.inputs.cidrIpv4]).toEqual([port, port, undefined]);
    }
  });

  it('runs tasks in private subnets without public IPs', () => {
    const privateIds = run.resources.filter(
      (r) => /-private-\d$/.test(r.name) && r.type === 'aws:ec2/subnet:Subnet',
    );
    expect(privateIds).toHaveLength(2);
    for (const svc of run.ofType('aws:ecs/service:Service')) {
      expect(svc.inputs.networkConfiguration.assignPublicIp).toBe(false);
      expect(svc.inputs.networkConfiguration.subnets.sort()).toEqual(privateIds.map((s) => s.id).sort());
    }
  });
});

describe('data stores', () => {
  it('keeps Aurora private, encrypted, TLS-only and on a pgvector-capable version', () => {
    const [cluster] = run.ofType('aws:rds/cluster:Cluster');
    expect(cluster!.inputs).toMatchObject({
      engine: 'aurora-postgresql',
      engineMode: 'provisioned',
      storageEncrypted: true,
      deletionProtection: true,
      skipFinalSnapshot: false,
    });
    expect(Number(String(cluster!.inputs.engineVersion).split('.')[0])).toBeGreaterThanOrEqual(15);
    expect(secretValue(cluster!.inputs.masterPassword)).toBe(DB_PASSWORD);
    expect(cluster!.inputs.serverlessv2ScalingConfiguration).toMatchObject({ minCapacity: 0.5 });
    const instances = run.ofType('aws:rds/clusterInstance:ClusterInstance');
    expect(instances.length).toBeGreaterThanOrEqual(1);
    for (const i of instances)
      expect(i.inputs).toMatchObject({ publiclyAccessible: false, instanceClass: 'db.serverless' });
    const [params] = run.ofType('aws:rds/clusterParameterGroup:ClusterParameterGroup');
    expect(params!.inputs.parameters).toContainEqual(
      expect.objectContaining({ name: 'rds.force_ssl', value: '1' }),
    );
  });

  it('stores a DATABASE_URL that both drivers verify against the RDS CA', () => {
    const url = new URL(secretString('ais-db-url'));
    expect(url.protocol).toBe('postgresql:');
    expect(decodeURIComponent(url.password)).toBe(DB_PASSWORD);
    expect(url.hostname).toBe('ais-db-cluster.cluster-mock.us-east-1.rds.amazonaws.com');
    expect(url.searchParams.get('sslmode')).toBe('verify-full');
    // The CA bundle the tasks point NODE_EXTRA_CA_CERTS at is the one the Dockerfile writes.
    expect(readFileSync(path.resolve(import.meta.dirname, '..', 'Dockerfile'), 'utf8')).toContain(
      RDS_CA_BUNDLE,
    );
  });

  it('encrypts Redis at rest and in transit and stores a rediss:// URL', () => {
    const [redis] = run.ofType('aws:elasticache/replicationGroup:ReplicationGroup');
    expect(redis!.inputs).toMatchObject({ atRestEncryptionEnabled: true, transitEncryptionEnabled: true });
    const url = new URL(secretString('ais-cache-url'));
    expect(url.protocol).toBe('rediss:');
    expect(url.password).toBe(REDIS_TOKEN);
    expect(secretValue(redis!.inputs.authToken)).toBe(REDIS_TOKEN);
  });
});

describe('services', () => {
  it('health-checks /api/health at the target group and in the container', () => {
    const [tg] = run.ofType('aws:lb/targetGroup:TargetGroup');
    expect(tg!.inputs.healthCheck.path).toBe('/api/health');
    expect(tg!.inputs).toMatchObject({ port: 3000, targetType: 'ip' });
    const [web] = containers('ais-app-web');
    expect(web.healthCheck.command.join(' ')).toContain('http://127.0.0.1:3000/api/health');
    expect(web.portMappings).toEqual([{ containerPort: 3000, protocol: 'tcp' }]);
  });

  it('keeps jobs off the web tasks and runs them in the worker service', () => {
    const [web] = containers('ais-app-web');
    const [worker] = containers('ais-app-worker');
    expect(envOf(web).RUN_WORKERS).toBe('false');
    expect(envOf(worker).RUN_WORKERS ?? 'true').toBe('true');
    const pkg = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '..', 'package.json'), 'utf8'));
    expect(worker.command.join(' ')).toBe(pkg.scripts.workers);
    expect(worker.portMappings).toBeUndefined();
    const counts = Object.fromEntries(
      run.ofType('aws:ecs/service:Service').map((s) => [s.name, s.inputs.desiredCount]),
    );
    expect(counts).toEqual({ 'ais-app-web': 3, 'ais-app-worker': 2 });
  });

  it('passes secrets by Secrets Manager reference, never as values', () => {
    for (const family of ['ais-app-web', 'ais-app-worker']) {
      const [c] = containers(family);
      expect(c.secrets.map((s: { name: string }) => s.name).sort()).toEqual([
        'APP_SECRET',
        'DATABASE_URL',
        'REDIS_URL',
      ]);
      for (const s of c.secrets) expect(s.valueFrom).toMatch(/^arn:aws:/);
      const json = JSON.stringify(c);
      for (const value of [APP_SECRET, DB_PASSWORD, REDIS_TOKEN]) expect(json).not.toContain(value);
      expect(envOf(c)).toMatchObject({
        APP_URL: 'https://ai.district.example',
        NODE_EXTRA_CA_CERTS: RDS_CA_BUNDLE,
        TRUST_PROXY: '1', // behind the ALB: client IPs from X-Forwarded-For's last hop only
      });
    }
    const policy = JSON.parse(
      run.ofType('aws:iam/rolePolicy:RolePolicy').find((p) => p.name === 'ais-app-execution-secrets')!.inputs
        .policy,
    );
    const arns = run
      .ofType('aws:secretsmanager/secret:Secret')
      .map((s: MockedResource) => `arn:aws:mock:us-east-1:123456789012:${s.name}`);
    expect([...policy.Statement[0].Resource].sort()).toEqual(arns.sort());
  });

  it('serves HTTPS with the certificate and redirects HTTP', () => {
    const listeners = Object.fromEntries(
      run.ofType('aws:lb/listener:Listener').map((l) => [l.inputs.port, l.inputs]),
    );
    expect(listeners[443]).toMatchObject({ protocol: 'HTTPS', certificateArn: CERT });
    expect(listeners[443].defaultActions[0].type).toBe('forward');
    expect(listeners[80].defaultActions[0]).toMatchObject({
      type: 'redirect',
      redirect: { protocol: 'HTTPS', port: '443' },
    });
  });

  it('exports the outputs an operator needs', async () => {
    const p = run.program;
    expect(await resolve(p.url)).toBe('https://ai.district.example');
    expect(await resolve(p.repositoryUrl)).toMatch(/\.dkr\.ecr\./);
    expect(await resolve(p.databaseEndpoint)).toContain('.rds.amazonaws.com');
    expect(await resolve(p.redisEndpoint!)).toContain('.cache.amazonaws.com');
    for (const out of [p.albDnsName, p.clusterName, p.webServiceName, p.workerServiceName, p.vpcId]) {
      expect(await resolve(out)).toBeTruthy();
    }
  });
});

describe('knowledge OCR by Amazon Textract (textract: true)', () => {
  it('lets the task role call DetectDocumentText only, and tells both services the region', async () => {
    const policies = run
      .ofType('aws:iam/rolePolicy:RolePolicy')
      .filter((p) => String(p.name).endsWith('-task-textract'));
    expect(policies).toHaveLength(1);
    const { Statement } = JSON.parse(policies[0]!.inputs.policy as string);
    expect(Statement).toEqual([
      { Sid: 'KnowledgeOcr', Effect: 'Allow', Action: 'textract:DetectDocumentText', Resource: '*' },
    ]);
    for (const td of run.ofType('aws:ecs/taskDefinition:TaskDefinition')) {
      const [c] = JSON.parse(td.inputs.containerDefinitions as string);
      expect(envOf(c).TEXTRACT_REGION).toBe('us-east-1');
    }
  });
});

describe('load balancer and server keep-alive', () => {
  it('lets the server keep idle connections longer than the ALB does (else the ALB reuses closed ones: 502)', () => {
    const [alb] = run.ofType('aws:lb/loadBalancer:LoadBalancer');
    expect(alb!.inputs.idleTimeout).toBeGreaterThanOrEqual(60);
    expect(KEEP_ALIVE_TIMEOUT_MS).toBeGreaterThan(alb!.inputs.idleTimeout * 1000);
  });
});
