/**
 * Runs the Pulumi program under pulumi.runtime.setMocks and records every resource it registers, so tests
 * can assert on the inputs the real engine would receive. One program run per test file (the Pulumi runtime
 * is process-global; vitest isolates files).
 */
import * as pulumi from '@pulumi/pulumi';

export interface MockedResource {
  type: string;
  name: string;
  id: string;
  // biome-ignore lint/suspicious/noExplicitAny: resource inputs are untyped property bags
  inputs: Record<string, any>;
}

export type Program = typeof import('./index');

/** Provider-computed attributes our program reads back from resources. */
function computed(type: string, name: string): Record<string, unknown> {
  const base = { arn: `arn:aws:mock:us-east-1:123456789012:${name}` };
  switch (type) {
    case 'aws:rds/cluster:Cluster':
      return { ...base, endpoint: `${name}.cluster-mock.us-east-1.rds.amazonaws.com`, port: 5432 };
    case 'aws:lb/loadBalancer:LoadBalancer':
      return { ...base, dnsName: `${name}.us-east-1.elb.amazonaws.com` };
    case 'aws:ecr/repository:Repository':
      return { ...base, repositoryUrl: `123456789012.dkr.ecr.us-east-1.amazonaws.com/${name}` };
    case 'aws:s3/bucket:Bucket': {
      // Auto-named by the provider: the logical name and a random suffix.
      const bucket = `${name}-0a1b2c3`;
      return { arn: `arn:aws:s3:::${bucket}`, bucket };
    }
    case 'aws:elasticache/replicationGroup:ReplicationGroup':
      return { ...base, primaryEndpointAddress: `master.${name}.mock.use1.cache.amazonaws.com` };
    default:
      return base;
  }
}

export async function runProgram(
  config: Record<string, string>,
  secretKeys: string[] = [],
  resources: MockedResource[] = [],
) {
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        const id = `${args.name}-id`;
        resources.push({ type: args.type, name: args.name, id, inputs: args.inputs });
        return { id, state: { name: args.name, ...args.inputs, ...computed(args.type, args.name) } };
      },
      call(args) {
        if (args.token === 'aws:index/getAvailabilityZones:getAvailabilityZones') {
          return {
            names: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
            zoneIds: ['use1-az1', 'use1-az2', 'use1-az4'],
          };
        }
        if (args.token === 'aws:index/getRegion:getRegion') return { region: 'us-east-1', name: 'us-east-1' };
        return args.inputs;
      },
    },
    'ai-studio',
    'test',
    false,
  );
  const prefixed = (key: string) => `ai-studio:${key}`;
  pulumi.runtime.setAllConfig(
    Object.fromEntries(Object.entries(config).map(([k, v]) => [prefixed(k), v])),
    secretKeys.map(prefixed),
  );
  const program: Program = await import('./index');
  // Resolve every export so all registrations have happened before assertions read `resources`.
  await Promise.all(
    Object.values(program).map((out) => (out ? resolve(out as pulumi.Output<unknown>) : undefined)),
  );
  return {
    program,
    resources,
    ofType: (type: string) => resources.filter((r) => r.type === type),
    byId: (id: string) => resources.find((r) => r.id === id),
  };
}

// How the Pulumi runtime serialises a secret value to the engine (and so to mocks).
const SECRET_SIG = '4dabf18193072939515e22adb298388d';

/** The plain value of an input that must be a Pulumi secret; throws if it was passed in clear. */
export function secretValue(input: unknown): string {
  const wrapped = input as Record<string, unknown> | null;
  if (!wrapped || typeof wrapped !== 'object' || !(SECRET_SIG in wrapped)) {
    throw new Error('expected a Pulumi secret, got a plain value');
  }
  return String(wrapped.value);
}

export function resolve<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((done) => output.apply(done));
}
