/**
 * The app on ECS Fargate: one image (ECR), an ALB in front of N web tasks, and M worker tasks running
 * `npm run workers`' command. Web tasks do not run jobs (RUN_WORKERS=false); the worker service does.
 * See docs/decisions/005-deployment-shape-on-aws.md.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';

export interface AppServiceArgs {
  vpcId: pulumi.Input<string>;
  publicSubnetIds: pulumi.Input<string>[];
  privateSubnetIds: pulumi.Input<string>[];
  albSecurityGroupId: pulumi.Input<string>;
  webSecurityGroupId: pulumi.Input<string>;
  workerSecurityGroupId: pulumi.Input<string>;
  /** Full image reference; unset = this stack's ECR repository at `imageTag`. */
  image?: string;
  imageTag: string;
  webCount: number;
  workerCount: number;
  /** Fargate task size (CPU units / MiB), the same for web and worker tasks. */
  cpu: number;
  memory: number;
  /** ACM certificate: HTTPS on 443 and HTTP redirected to it. Unset: plain HTTP on 80. */
  certificateArn?: string;
  /** Public origin; defaults to the ALB's DNS name. */
  appUrl?: pulumi.Input<string>;
  appSecret: pulumi.Input<string>;
  databaseUrlSecretArn: pulumi.Input<string>;
  redisUrlSecretArn?: pulumi.Input<string>;
  /** The attachments bucket (components/storage.ts): S3_* env for both services, and the task role's access. */
  attachments: {
    bucketName: pulumi.Input<string>;
    region: pulumi.Input<string>;
    prefix: string;
    accessPolicy: pulumi.Input<string>;
  };
  logRetentionDays: number;
  logLevel?: string;
  /** OCR of knowledge pages without text by Amazon Textract in the stack's region (TEXTRACT_REGION); else offline. */
  textract?: boolean;
}

export const CONTAINER_PORT = 3000;
export const HEALTH_PATH = '/api/health';
/** Written into the image by the Dockerfile; lets both Postgres drivers verify Aurora's certificate. */
export const RDS_CA_BUNDLE = '/app/rds-ca-bundle.pem';
const WORKER_COMMAND = ['node', '--import', 'tsx', 'workers/index.ts'];
// Same probe as the Dockerfile HEALTHCHECK (ECS ignores that one): node's fetch, the slim image has no curl.
const HEALTH_COMMAND = [
  'CMD',
  'node',
  '-e',
  `fetch('http://127.0.0.1:${CONTAINER_PORT}${HEALTH_PATH}').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))`,
];

export class AppService extends pulumi.ComponentResource {
  readonly url: pulumi.Output<string>;
  readonly albDnsName: pulumi.Output<string>;
  readonly repositoryUrl: pulumi.Output<string>;
  readonly clusterName: pulumi.Output<string>;
  readonly webServiceName: pulumi.Output<string>;
  readonly workerServiceName: pulumi.Output<string>;

  constructor(name: string, args: AppServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    super('ai-studio:service:AppService', name, {}, opts);
    const parent = { parent: this };
    const https = Boolean(args.certificateArn);

    const repo = new aws.ecr.Repository(
      `${name}-repo`,
      { imageScanningConfiguration: { scanOnPush: true }, imageTagMutability: 'MUTABLE' },
      parent,
    );
    new aws.ecr.LifecyclePolicy(
      `${name}-repo-lifecycle`,
      {
        repository: repo.name,
        policy: JSON.stringify({
          rules: [
            {
              rulePriority: 1,
              description: 'keep the 30 most recent images',
              selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 30 },
              action: { type: 'expire' },
            },
          ],
        }),
      },
      parent,
    );
    const image = args.image ?? pulumi.interpolate`${repo.repositoryUrl}:${args.imageTag}`;

    const appSecret = new aws.secretsmanager.Secret(
      `${name}-app-secret`,
      { description: 'AI Studio APP_SECRET' },
      parent,
    );
    new aws.secretsmanager.SecretVersion(
      `${name}-app-secret`,
      { secretId: appSecret.id, secretString: pulumi.secret(args.appSecret) },
      parent,
    );
    const secretRefs: Record<string, pulumi.Input<string>> = {
      DATABASE_URL: args.databaseUrlSecretArn,
      APP_SECRET: appSecret.arn,
      ...(args.redisUrlSecretArn ? { REDIS_URL: args.redisUrlSecretArn } : {}),
    };

    // Execution role: pull the image, write logs, and read exactly these secrets. The task role (the app's own
    // AWS identity) may only use the attachments bucket; attach e.g. Bedrock access to it when a district uses
    // that provider.
    const assumeEcsTasks = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' },
      ],
    });
    const executionRole = new aws.iam.Role(
      `${name}-execution-role`,
      { assumeRolePolicy: assumeEcsTasks },
      parent,
    );
    new aws.iam.RolePolicyAttachment(
      `${name}-execution-policy`,
      {
        role: executionRole.name,
        policyArn: 'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy',
      },
      parent,
    );
    new aws.iam.RolePolicy(
      `${name}-execution-secrets`,
      {
        role: executionRole.id,
        policy: pulumi.jsonStringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: Object.values(secretRefs) },
          ],
        }),
      },
      parent,
    );
    const taskRole = new aws.iam.Role(`${name}-task-role`, { assumeRolePolicy: assumeEcsTasks }, parent);
    const attachmentAccess = new aws.iam.RolePolicy(
      `${name}-task-attachments`,
      { role: taskRole.id, policy: args.attachments.accessPolicy },
      parent,
    );
    // DetectDocumentText takes the page bytes in the request and has no resource to scope it to.
    const textractAccess = args.textract
      ? new aws.iam.RolePolicy(
          `${name}-task-textract`,
          {
            role: taskRole.id,
            policy: JSON.stringify({
              Version: '2012-10-17',
              Statement: [
                {
                  Sid: 'KnowledgeOcr',
                  Effect: 'Allow',
                  Action: 'textract:DetectDocumentText',
                  Resource: '*',
                },
              ],
            }),
          },
          parent,
        )
      : undefined;

    const cluster = new aws.ecs.Cluster(
      `${name}-cluster`,
      { settings: [{ name: 'containerInsights', value: 'enabled' }] },
      parent,
    );

    const alb = new aws.lb.LoadBalancer(
      `${name}-alb`,
      {
        loadBalancerType: 'application',
        subnets: args.publicSubnetIds,
        securityGroups: [args.albSecurityGroupId],
        dropInvalidHeaderFields: true,
        // Chat answers stream over SSE; give slow model turns room before the ALB cuts an idle connection.
        idleTimeout: 300,
      },
      parent,
    );
    const targetGroup = new aws.lb.TargetGroup(
      `${name}-web-tg`,
      {
        port: CONTAINER_PORT,
        protocol: 'HTTP',
        targetType: 'ip',
        vpcId: args.vpcId,
        // Longer than the app's graceful shutdown (SHUTDOWN_TIMEOUT_MS, 10 s) so in-flight requests finish.
        deregistrationDelay: 30,
        healthCheck: {
          path: HEALTH_PATH,
          matcher: '200',
          interval: 15,
          healthyThreshold: 2,
          unhealthyThreshold: 3,
        },
      },
      parent,
    );
    const forward = [{ type: 'forward', targetGroupArn: targetGroup.arn }];
    const listeners = https
      ? [
          new aws.lb.Listener(
            `${name}-https`,
            {
              loadBalancerArn: alb.arn,
              port: 443,
              protocol: 'HTTPS',
              sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
              certificateArn: args.certificateArn,
              defaultActions: forward,
            },
            parent,
          ),
          new aws.lb.Listener(
            `${name}-http`,
            {
              loadBalancerArn: alb.arn,
              port: 80,
              protocol: 'HTTP',
              defaultActions: [
                { type: 'redirect', redirect: { port: '443', protocol: 'HTTPS', statusCode: 'HTTP_301' } },
              ],
            },
            parent,
          ),
        ]
      : [
          new aws.lb.Listener(
            `${name}-http`,
            { loadBalancerArn: alb.arn, port: 80, protocol: 'HTTP', defaultActions: forward },
            parent,
          ),
        ];
    const url = args.appUrl
      ? pulumi.output(args.appUrl)
      : pulumi.interpolate`${https ? 'https' : 'http'}://${alb.dnsName}`;

    const region = aws.getRegionOutput({}, parent).region;
    const taskDefinition = (role: 'web' | 'worker') => {
      const logGroup = new aws.cloudwatch.LogGroup(
        `${name}-${role}-logs`,
        { retentionInDays: args.logRetentionDays },
        parent,
      );
      const environment: Record<string, pulumi.Input<string>> = {
        APP_URL: url,
        // Tasks are reached only through the ALB (one hop): the client is the address it appends to
        // X-Forwarded-For, and X-Forwarded-Proto says whether the browser used HTTPS.
        TRUST_PROXY: '1',
        LOG_LEVEL: args.logLevel ?? 'info',
        NODE_EXTRA_CA_CERTS: RDS_CA_BUNDLE,
        // Attachments in S3 (web: upload, download, delete; worker: the retention job), with the task role.
        S3_BUCKET: args.attachments.bucketName,
        S3_REGION: args.attachments.region,
        S3_PREFIX: args.attachments.prefix,
        // Knowledge OCR through Textract (the worker's ingestion jobs) with the task role's credentials.
        ...(args.textract ? { TEXTRACT_REGION: region } : {}),
        // Jobs run in the worker service only; the web tasks just enqueue.
        ...(role === 'web' ? { RUN_WORKERS: 'false' } : {}),
      };
      const container = {
        name: role,
        image,
        essential: true,
        ...(role === 'web'
          ? {
              portMappings: [{ containerPort: CONTAINER_PORT, protocol: 'tcp' }],
              healthCheck: { command: HEALTH_COMMAND, interval: 30, timeout: 5, retries: 3, startPeriod: 60 },
            }
          : { command: WORKER_COMMAND }),
        environment: Object.entries(environment).map(([envName, value]) => ({ name: envName, value })),
        secrets: Object.entries(secretRefs).map(([envName, valueFrom]) => ({ name: envName, valueFrom })),
        // An init process reaps children and forwards SIGTERM; the app drains within stopTimeout.
        linuxParameters: { initProcessEnabled: true },
        stopTimeout: 30,
        logConfiguration: {
          logDriver: 'awslogs',
          options: {
            'awslogs-group': logGroup.name,
            'awslogs-region': region,
            'awslogs-stream-prefix': role,
          },
        },
      };
      return new aws.ecs.TaskDefinition(
        `${name}-${role}`,
        {
          family: `${name}-${role}`,
          networkMode: 'awsvpc',
          requiresCompatibilities: ['FARGATE'],
          cpu: String(args.cpu),
          memory: String(args.memory),
          runtimePlatform: { operatingSystemFamily: 'LINUX', cpuArchitecture: 'X86_64' },
          executionRoleArn: executionRole.arn,
          taskRoleArn: taskRole.arn,
          containerDefinitions: pulumi.jsonStringify([container]),
        },
        parent,
      );
    };

    const service = (
      role: 'web' | 'worker',
      count: number,
      extra: Partial<aws.ecs.ServiceArgs>,
      deps: pulumi.Resource[],
    ) =>
      new aws.ecs.Service(
        `${name}-${role}`,
        {
          cluster: cluster.arn,
          taskDefinition: taskDefinition(role).arn,
          desiredCount: count,
          launchType: 'FARGATE',
          networkConfiguration: {
            subnets: args.privateSubnetIds,
            securityGroups: [role === 'web' ? args.webSecurityGroupId : args.workerSecurityGroupId],
            assignPublicIp: false,
          },
          deploymentCircuitBreaker: { enable: true, rollback: true },
          deploymentMinimumHealthyPercent: 100,
          deploymentMaximumPercent: 200,
          propagateTags: 'SERVICE',
          ...extra,
        },
        // The task role's bucket access exists before the first task can need it.
        { parent: this, dependsOn: [...deps, attachmentAccess, ...(textractAccess ? [textractAccess] : [])] },
      );
    const web = service(
      'web',
      args.webCount,
      {
        loadBalancers: [
          { targetGroupArn: targetGroup.arn, containerName: 'web', containerPort: CONTAINER_PORT },
        ],
        // First start runs the migrations; don't let the ALB kill a task that is still migrating.
        healthCheckGracePeriodSeconds: 120,
      },
      listeners,
    );
    const worker = service('worker', args.workerCount, {}, []);

    this.url = url;
    this.albDnsName = alb.dnsName;
    this.repositoryUrl = repo.repositoryUrl;
    this.clusterName = cluster.name;
    this.webServiceName = web.name;
    this.workerServiceName = worker.name;
    this.registerOutputs({ url: this.url, repositoryUrl: this.repositoryUrl, clusterName: this.clusterName });
  }
}
