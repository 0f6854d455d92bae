/**
 * The smallest stack (no certificate, no Redis) under Pulumi mocks: plain HTTP straight to the web tasks,
 * no cache resources and no REDIS_URL; and a missing required secret stops the program.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { resolve, runProgram } from './test-mocks';

let run: Awaited<ReturnType<typeof runProgram>>;
beforeAll(async () => {
  run = await runProgram({ appSecret: 'x'.repeat(40), dbPassword: 'p'.repeat(20) }, [
    'appSecret',
    'dbPassword',
  ]);
}, 60_000);

describe('minimal stack', () => {
  it('serves plain HTTP on 80 from the load balancer when no certificate is configured', async () => {
    const listeners = run.ofType('aws:lb/listener:Listener');
    expect(listeners.map((l) => [l.inputs.port, l.inputs.protocol, l.inputs.defaultActions[0].type])).toEqual(
      [[80, 'HTTP', 'forward']],
    );
    const open = run
      .ofType('aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule')
      .filter((r) => r.inputs.cidrIpv4 || r.inputs.cidrIpv6);
    expect(new Set(open.map((r) => r.inputs.fromPort))).toEqual(new Set([80]));
    expect(await resolve(run.program.url)).toBe('http://ai-studio-test-app-alb.us-east-1.elb.amazonaws.com');
  });

  it('creates no cache and passes no REDIS_URL without the redis flag', () => {
    expect(run.resources.filter((r) => r.type.startsWith('aws:elasticache'))).toEqual([]);
    expect(run.program.redisEndpoint).toBeUndefined();
    for (const td of run.ofType('aws:ecs/taskDefinition:TaskDefinition')) {
      const [c] = JSON.parse(td.inputs.containerDefinitions as string);
      expect(c.secrets.map((s: { name: string }) => s.name).sort()).toEqual(['APP_SECRET', 'DATABASE_URL']);
    }
  });

  it('defaults to two web tasks, one worker and a writer plus a reader', () => {
    const counts = Object.fromEntries(
      run.ofType('aws:ecs/service:Service').map((s) => [s.name, s.inputs.desiredCount]),
    );
    expect(counts).toEqual({ 'ai-studio-test-app-web': 2, 'ai-studio-test-app-worker': 1 });
    expect(run.ofType('aws:rds/clusterInstance:ClusterInstance')).toHaveLength(2);
    expect(run.ofType('aws:ec2/natGateway:NatGateway')).toHaveLength(1);
  });

  it('keeps attachments 30 days (the app default) and lets the bucket expire them 3 days later', () => {
    const [lifecycle] = run.ofType('aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration');
    expect(lifecycle!.inputs.rules[0].expiration).toEqual({ days: 33 });
    for (const td of run.ofType('aws:ecs/taskDefinition:TaskDefinition')) {
      const [c] = JSON.parse(td.inputs.containerDefinitions as string);
      const env = Object.fromEntries(
        c.environment.map((e: { name: string; value: string }) => [e.name, e.value]),
      );
      expect(env.S3_BUCKET).toBe('ai-studio-test-attachments-0a1b2c3');
    }
  });

  it('reads text from scans offline unless textract is set: no Textract access, no TEXTRACT_REGION', () => {
    expect(
      run
        .ofType('aws:iam/rolePolicy:RolePolicy')
        .filter((p) => JSON.stringify(p.inputs).includes('textract')),
    ).toEqual([]);
    for (const td of run.ofType('aws:ecs/taskDefinition:TaskDefinition')) {
      const [c] = JSON.parse(td.inputs.containerDefinitions as string);
      expect(c.environment.map((e: { name: string }) => e.name)).not.toContain('TEXTRACT_REGION');
    }
  });
});
