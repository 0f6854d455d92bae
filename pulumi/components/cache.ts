/**
 * Optional ElastiCache Redis for rate limits and caches shared across web tasks (REDIS_URL). Private,
 * encrypted at rest and in transit (rediss://), with an AUTH token; the URL lives in Secrets Manager.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { admitFrom } from './network';

export interface CacheArgs {
  vpcId: pulumi.Input<string>;
  subnetIds: pulumi.Input<string>[];
  /** Security groups of the tasks that may connect on 6379. */
  clientSecurityGroupIds: pulumi.Input<string>[];
  /** 16–128 printable characters, no @, " or /. */
  authToken: pulumi.Input<string>;
  nodeType?: string;
  /** 1 node, or 2+ for a replica with automatic failover. */
  nodeCount?: number;
}

const PORT = 6379;

export class Cache extends pulumi.ComponentResource {
  readonly endpoint: pulumi.Output<string>;
  readonly redisUrlSecretArn: pulumi.Output<string>;

  constructor(name: string, args: CacheArgs, opts?: pulumi.ComponentResourceOptions) {
    super('ai-studio:cache:Cache', name, {}, opts);
    const parent = { parent: this };
    const nodeCount = args.nodeCount ?? 1;

    const sg = new aws.ec2.SecurityGroup(
      `${name}-sg`,
      { vpcId: args.vpcId, description: 'AI Studio Redis: 6379 from app tasks only', tags: { Name: name } },
      parent,
    );
    admitFrom(this, `${name}-in`, {
      securityGroupId: sg.id,
      port: PORT,
      sources: args.clientSecurityGroupIds,
    });

    const subnets = new aws.elasticache.SubnetGroup(`${name}-subnets`, { subnetIds: args.subnetIds }, parent);
    const redis = new aws.elasticache.ReplicationGroup(
      `${name}-redis`,
      {
        description: 'AI Studio shared rate limits and cache',
        engine: 'redis',
        engineVersion: '7.1',
        nodeType: args.nodeType ?? 'cache.t4g.small',
        numCacheClusters: nodeCount,
        automaticFailoverEnabled: nodeCount > 1,
        multiAzEnabled: nodeCount > 1,
        port: PORT,
        subnetGroupName: subnets.name,
        securityGroupIds: [sg.id],
        atRestEncryptionEnabled: true,
        transitEncryptionEnabled: true,
        authToken: args.authToken,
      },
      parent,
    );

    const url = pulumi.interpolate`rediss://:${pulumi.output(args.authToken).apply(encodeURIComponent)}@${
      redis.primaryEndpointAddress
    }:${PORT}`;
    const secret = new aws.secretsmanager.Secret(
      `${name}-url`,
      { description: 'AI Studio REDIS_URL' },
      parent,
    );
    new aws.secretsmanager.SecretVersion(
      `${name}-url`,
      { secretId: secret.id, secretString: pulumi.secret(url) },
      parent,
    );

    this.endpoint = redis.primaryEndpointAddress;
    this.redisUrlSecretArn = secret.arn;
    this.registerOutputs({ endpoint: this.endpoint, redisUrlSecretArn: this.redisUrlSecretArn });
  }
}
