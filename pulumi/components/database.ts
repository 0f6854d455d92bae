/**
 * Aurora PostgreSQL Serverless v2 (pgvector ships with Aurora PostgreSQL 15+; the first migration runs
 * CREATE EXTENSION vector). Private, encrypted, TLS enforced; the app's DATABASE_URL lives in Secrets Manager.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { admitFrom } from './network';

export interface DatabaseArgs {
  vpcId: pulumi.Input<string>;
  subnetIds: pulumi.Input<string>[];
  /** Security groups of the tasks that may connect on 5432. */
  clientSecurityGroupIds: pulumi.Input<string>[];
  masterPassword: pulumi.Input<string>;
  /** Aurora PostgreSQL version, e.g. "16.6" (its major picks the parameter group family). */
  engineVersion: string;
  /** Serverless v2 capacity in ACUs. */
  minCapacity: number;
  maxCapacity: number;
  /** 1 writer, plus readers that Aurora fails over to. */
  instanceCount: number;
  deletionProtection: boolean;
  backupRetentionDays?: number;
}

const DB_NAME = 'aistudio';
const DB_USER = 'aistudio';

export class Database extends pulumi.ComponentResource {
  readonly endpoint: pulumi.Output<string>;
  readonly port: pulumi.Output<number>;
  readonly databaseUrlSecretArn: pulumi.Output<string>;

  constructor(name: string, args: DatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super('ai-studio:database:Database', name, {}, opts);
    const parent = { parent: this };
    const major = args.engineVersion.split('.')[0];

    const sg = new aws.ec2.SecurityGroup(
      `${name}-sg`,
      {
        vpcId: args.vpcId,
        description: 'AI Studio Aurora: 5432 from app tasks only',
        tags: { Name: `${name}` },
      },
      parent,
    );
    admitFrom(this, `${name}-in`, {
      securityGroupId: sg.id,
      port: 5432,
      sources: args.clientSecurityGroupIds,
    });

    const subnets = new aws.rds.SubnetGroup(`${name}-subnets`, { subnetIds: args.subnetIds }, parent);
    const params = new aws.rds.ClusterParameterGroup(
      `${name}-params`,
      {
        family: `aurora-postgresql${major}`,
        description: 'AI Studio: TLS required',
        parameters: [{ name: 'rds.force_ssl', value: '1' }],
      },
      parent,
    );

    const cluster = new aws.rds.Cluster(
      `${name}-cluster`,
      {
        engine: 'aurora-postgresql',
        engineMode: 'provisioned',
        engineVersion: args.engineVersion,
        databaseName: DB_NAME,
        masterUsername: DB_USER,
        masterPassword: args.masterPassword,
        dbSubnetGroupName: subnets.name,
        dbClusterParameterGroupName: params.name,
        vpcSecurityGroupIds: [sg.id],
        storageEncrypted: true,
        serverlessv2ScalingConfiguration: { minCapacity: args.minCapacity, maxCapacity: args.maxCapacity },
        backupRetentionPeriod: args.backupRetentionDays ?? 7,
        copyTagsToSnapshot: true,
        deletionProtection: args.deletionProtection,
        skipFinalSnapshot: false,
        finalSnapshotIdentifier: `${name}-final`,
      },
      parent,
    );
    for (let i = 0; i < args.instanceCount; i++) {
      new aws.rds.ClusterInstance(
        `${name}-instance-${i}`,
        {
          clusterIdentifier: cluster.id,
          instanceClass: 'db.serverless',
          engine: 'aurora-postgresql',
          engineVersion: cluster.engineVersion,
          dbSubnetGroupName: subnets.name,
          publiclyAccessible: false,
        },
        parent,
      );
    }

    // verify-full works with both drivers (postgres.js and pg under pg-boss) once the RDS CA is trusted:
    // the image carries the bundle and the tasks point NODE_EXTRA_CA_CERTS at it.
    const url = pulumi.interpolate`postgresql://${DB_USER}:${pulumi
      .output(args.masterPassword)
      .apply(encodeURIComponent)}@${cluster.endpoint}:${cluster.port}/${DB_NAME}?sslmode=verify-full`;
    const secret = new aws.secretsmanager.Secret(
      `${name}-url`,
      { description: 'AI Studio DATABASE_URL (Aurora writer endpoint)' },
      parent,
    );
    new aws.secretsmanager.SecretVersion(
      `${name}-url`,
      { secretId: secret.id, secretString: pulumi.secret(url) },
      parent,
    );

    this.endpoint = cluster.endpoint;
    this.port = cluster.port;
    this.databaseUrlSecretArn = secret.arn;
    this.registerOutputs({ endpoint: this.endpoint, databaseUrlSecretArn: this.databaseUrlSecretArn });
  }
}
