/**
 * VPC with public subnets (ALB, NAT) and private subnets (tasks, Aurora, Redis) across two AZs, and the
 * security groups of the three app tiers. The groups live here, not with their services, because the
 * database and the cache admit the web and worker groups before the services that use them exist.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';

export interface NetworkArgs {
  /** /16 block; subnets are carved as /24s. */
  cidrBlock?: string;
  /** 1 (cheaper) or one NAT gateway per AZ (survives an AZ outage). */
  natGateways?: 1 | 2;
  /** Ports the ALB answers on from the internet: 80, plus 443 when a certificate is configured. */
  publicPorts: number[];
}

const AZ_COUNT = 2;

export class Network extends pulumi.ComponentResource {
  readonly vpcId: pulumi.Output<string>;
  readonly publicSubnetIds: pulumi.Output<string>[];
  readonly privateSubnetIds: pulumi.Output<string>[];
  readonly albSecurityGroupId: pulumi.Output<string>;
  readonly webSecurityGroupId: pulumi.Output<string>;
  readonly workerSecurityGroupId: pulumi.Output<string>;

  constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super('ai-studio:network:Network', name, args, opts);
    const parent = { parent: this };
    const cidr = args.cidrBlock ?? '10.20.0.0/16';
    const prefix = cidr.split('.').slice(0, 2).join('.');

    const vpc = new aws.ec2.Vpc(
      `${name}-vpc`,
      { cidrBlock: cidr, enableDnsHostnames: true, enableDnsSupport: true, tags: { Name: `${name}-vpc` } },
      parent,
    );
    const igw = new aws.ec2.InternetGateway(
      `${name}-igw`,
      { vpcId: vpc.id, tags: { Name: `${name}-igw` } },
      parent,
    );
    const publicRt = new aws.ec2.RouteTable(
      `${name}-public-rt`,
      {
        vpcId: vpc.id,
        routes: [{ cidrBlock: '0.0.0.0/0', gatewayId: igw.id }],
        tags: { Name: `${name}-public` },
      },
      parent,
    );

    const zones = aws.getAvailabilityZonesOutput({ state: 'available' }, parent);
    const publicSubnets: aws.ec2.Subnet[] = [];
    const privateSubnets: aws.ec2.Subnet[] = [];
    for (let i = 0; i < AZ_COUNT; i++) {
      const availabilityZone = zones.names.apply((names) => {
        const zone = names[i];
        if (!zone) throw new Error(`the region has fewer than ${AZ_COUNT} available zones`);
        return zone;
      });
      const pub = new aws.ec2.Subnet(
        `${name}-public-${i}`,
        {
          vpcId: vpc.id,
          cidrBlock: `${prefix}.${i}.0/24`,
          availabilityZone,
          tags: { Name: `${name}-public-${i}` },
        },
        parent,
      );
      new aws.ec2.RouteTableAssociation(
        `${name}-public-${i}`,
        { routeTableId: publicRt.id, subnetId: pub.id },
        parent,
      );
      const priv = new aws.ec2.Subnet(
        `${name}-private-${i}`,
        {
          vpcId: vpc.id,
          cidrBlock: `${prefix}.${10 + i}.0/24`,
          availabilityZone,
          tags: { Name: `${name}-private-${i}` },
        },
        parent,
      );
      publicSubnets.push(pub);
      privateSubnets.push(priv);
    }

    // Tasks pull images, read secrets, ship logs and call AI providers: private subnets egress through NAT.
    const nats = publicSubnets.slice(0, args.natGateways ?? 1).map((subnet, i) => {
      const eip = new aws.ec2.Eip(
        `${name}-nat-eip-${i}`,
        { domain: 'vpc', tags: { Name: `${name}-nat-${i}` } },
        parent,
      );
      return new aws.ec2.NatGateway(
        `${name}-nat-${i}`,
        { allocationId: eip.id, subnetId: subnet.id, tags: { Name: `${name}-nat-${i}` } },
        { parent: this, dependsOn: [igw] },
      );
    });
    privateSubnets.forEach((subnet, i) => {
      const nat = nats[Math.min(i, nats.length - 1)]!;
      const rt = new aws.ec2.RouteTable(
        `${name}-private-rt-${i}`,
        {
          vpcId: vpc.id,
          routes: [{ cidrBlock: '0.0.0.0/0', natGatewayId: nat.id }],
          tags: { Name: `${name}-private-${i}` },
        },
        parent,
      );
      new aws.ec2.RouteTableAssociation(
        `${name}-private-${i}`,
        { routeTableId: rt.id, subnetId: subnet.id },
        parent,
      );
    });

    const group = (tier: string, description: string) =>
      new aws.ec2.SecurityGroup(
        `${name}-${tier}-sg`,
        { vpcId: vpc.id, description, tags: { Name: `${name}-${tier}` } },
        parent,
      );
    const alb = group('alb', 'AI Studio load balancer: HTTP(S) from the internet, to web tasks only');
    const web = group('web', 'AI Studio web tasks: port 3000 from the load balancer only');
    const worker = group('worker', 'AI Studio worker tasks: no inbound traffic');

    for (const port of args.publicPorts) {
      for (const [family, cidrs] of [
        ['v4', { cidrIpv4: '0.0.0.0/0' }],
        ['v6', { cidrIpv6: '::/0' }],
      ] as const) {
        new aws.vpc.SecurityGroupIngressRule(
          `${name}-alb-in-${port}-${family}`,
          { securityGroupId: alb.id, ipProtocol: 'tcp', fromPort: port, toPort: port, ...cidrs },
          parent,
        );
      }
    }
    new aws.vpc.SecurityGroupEgressRule(
      `${name}-alb-out-web`,
      {
        securityGroupId: alb.id,
        ipProtocol: 'tcp',
        fromPort: 3000,
        toPort: 3000,
        referencedSecurityGroupId: web.id,
      },
      parent,
    );
    admitFrom(this, `${name}-web-in`, { securityGroupId: web.id, port: 3000, sources: [alb.id] });
    // Web and worker tasks reach AWS APIs, the database, the cache and AI providers on the internet.
    for (const [tier, sg] of [
      ['web', web],
      ['worker', worker],
    ] as const) {
      new aws.vpc.SecurityGroupEgressRule(
        `${name}-${tier}-out`,
        { securityGroupId: sg.id, ipProtocol: '-1', cidrIpv4: '0.0.0.0/0' },
        parent,
      );
    }

    this.vpcId = vpc.id;
    this.publicSubnetIds = publicSubnets.map((s) => s.id);
    this.privateSubnetIds = privateSubnets.map((s) => s.id);
    this.albSecurityGroupId = alb.id;
    this.webSecurityGroupId = web.id;
    this.workerSecurityGroupId = worker.id;
    this.registerOutputs({
      vpcId: this.vpcId,
      publicSubnetIds: this.publicSubnetIds,
      privateSubnetIds: this.privateSubnetIds,
    });
  }
}

export interface AdmitArgs {
  securityGroupId: pulumi.Input<string>;
  port: number;
  /** Security groups allowed in; nothing else is. */
  sources: pulumi.Input<string>[];
}

/** One ingress rule per source group on one TCP port: the only way traffic reaches our groups. */
export function admitFrom(parent: pulumi.Resource, name: string, args: AdmitArgs): void {
  args.sources.forEach((source, i) => {
    new aws.vpc.SecurityGroupIngressRule(
      `${name}-${i}`,
      {
        securityGroupId: args.securityGroupId,
        ipProtocol: 'tcp',
        fromPort: args.port,
        toPort: args.port,
        referencedSecurityGroupId: source,
      },
      { parent },
    );
  });
}
