/**
 * AI Studio on AWS: VPC → Aurora PostgreSQL (pgvector) → optional Redis → S3 bucket for chat attachments →
 * ECS Fargate web + worker services behind an ALB, all from one image. Configuration: Pulumi.dev.yaml (example)
 * and `pulumi config`.
 * Deploy: `pulumi up` here, then push the image to the `repositoryUrl` output (see docs/decisions/005-deployment-shape-on-aws.md).
 */
import * as pulumi from '@pulumi/pulumi';
import { Cache } from './components/cache';
import { Database } from './components/database';
import { Network } from './components/network';
import { AppService } from './components/service';
import { AttachmentStorage } from './components/storage';

const config = new pulumi.Config();
const name = config.get('name') ?? `ai-studio-${pulumi.getStack()}`;
const certificateArn = config.get('certificateArn');
const redisEnabled = config.getBoolean('redis') ?? false;

/** Checks a secret's shape without ever printing it. */
function requireSecret(key: string, check: (v: string) => boolean, rule: string): pulumi.Output<string> {
  return config.requireSecret(key).apply((value) => {
    if (!check(value)) throw new Error(`config ${key}: ${rule}`);
    return value;
  });
}
const urlSafe = (v: string) => !/[@"/\s]/.test(v);
const tokenRule = [
  (v: string) => v.length >= 16 && v.length <= 128 && urlSafe(v),
  '16–128 characters without @, ", / or spaces',
] as const;
// Required secrets are read before any resource is declared, so a stack missing one creates nothing.
const appSecret = requireSecret('appSecret', (v) => v.length >= 32, 'at least 32 characters');
const dbPassword = requireSecret('dbPassword', ...tokenRule);
const redisAuthToken = redisEnabled ? requireSecret('redisAuthToken', ...tokenRule) : undefined;
// Keep at least the app's attachments.retention_days: the bucket expires attachments a few days after this.
const attachmentRetentionDays = config.getNumber('attachmentRetentionDays', { min: 1, max: 3650 }) ?? 30;

const network = new Network(name, {
  natGateways: config.getNumber('natGateways') === 2 ? 2 : 1,
  publicPorts: certificateArn ? [80, 443] : [80],
});
const clients = [network.webSecurityGroupId, network.workerSecurityGroupId];

const db = new Database(`${name}-db`, {
  vpcId: network.vpcId,
  subnetIds: network.privateSubnetIds,
  clientSecurityGroupIds: clients,
  masterPassword: dbPassword,
  engineVersion: config.get('dbEngineVersion') ?? '16.6',
  minCapacity: config.getNumber('dbMinCapacity') ?? 0.5,
  maxCapacity: config.getNumber('dbMaxCapacity') ?? 8,
  instanceCount: config.getNumber('dbInstances') ?? 2,
  deletionProtection: config.getBoolean('deletionProtection') ?? true,
});

const cache = redisAuthToken
  ? new Cache(`${name}-cache`, {
      vpcId: network.vpcId,
      subnetIds: network.privateSubnetIds,
      clientSecurityGroupIds: clients,
      authToken: redisAuthToken,
      nodeType: config.get('redisNodeType'),
      nodeCount: config.getNumber('redisNodes'),
    })
  : undefined;

const files = new AttachmentStorage(`${name}-attachments`, { retentionDays: attachmentRetentionDays });

const app = new AppService(`${name}-app`, {
  vpcId: network.vpcId,
  publicSubnetIds: network.publicSubnetIds,
  privateSubnetIds: network.privateSubnetIds,
  albSecurityGroupId: network.albSecurityGroupId,
  webSecurityGroupId: network.webSecurityGroupId,
  workerSecurityGroupId: network.workerSecurityGroupId,
  image: config.get('image'),
  imageTag: config.get('imageTag') ?? 'latest',
  webCount: config.getNumber('webCount') ?? 2,
  workerCount: config.getNumber('workerCount') ?? 1,
  cpu: config.getNumber('taskCpu') ?? 1024,
  memory: config.getNumber('taskMemory') ?? 2048,
  certificateArn,
  appUrl: config.get('appUrl'),
  appSecret,
  databaseUrlSecretArn: db.databaseUrlSecretArn,
  redisUrlSecretArn: cache?.redisUrlSecretArn,
  attachments: files,
  logRetentionDays: config.getNumber('logRetentionDays') ?? 30,
  logLevel: config.get('logLevel'),
  textract: config.getBoolean('textract') ?? false,
});

export const url = app.url;
export const albDnsName = app.albDnsName;
export const repositoryUrl = app.repositoryUrl;
export const clusterName = app.clusterName;
export const webServiceName = app.webServiceName;
export const workerServiceName = app.workerServiceName;
export const databaseEndpoint = db.endpoint;
export const redisEndpoint = cache?.endpoint;
export const attachmentsBucketName = files.bucketName;
export const vpcId = network.vpcId;
