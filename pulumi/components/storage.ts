/**
 * The S3 bucket for chat attachments (the app's S3 object store, docs/decisions/012-attachment-storage.md).
 * Private (public access blocked, ACLs off), encrypted by default (SSE-S3), reachable over TLS only, not
 * versioned. The app deletes attachments after `attachments.retention_days` with a nightly job; a lifecycle rule
 * on the attachments prefix expires what it missed a few days later and aborts unfinished multipart uploads.
 * `accessPolicy` is what the app's task role may do here: read, write and delete objects under the prefix.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';

export interface AttachmentStorageArgs {
  /** Whole days the app keeps an attachment (its attachments.retention_days setting). */
  retentionDays: number;
}

/** S3_PREFIX: the app's default, set explicitly so the IAM policy and the lifecycle rule match it. */
export const ATTACHMENTS_PREFIX = 'attachments/';
/** Days after the retention that the lifecycle rule expires an object the nightly job has not deleted. */
export const EXPIRY_MARGIN_DAYS = 3;
/** Days after which S3 discards the parts of an unfinished multipart upload. */
export const ABORT_MULTIPART_DAYS = 1;

export class AttachmentStorage extends pulumi.ComponentResource {
  readonly bucketName: pulumi.Output<string>;
  readonly bucketArn: pulumi.Output<string>;
  readonly region: pulumi.Output<string>;
  readonly prefix = ATTACHMENTS_PREFIX;
  /** IAM policy document for the task role: object access under the prefix only. */
  readonly accessPolicy: pulumi.Output<string>;

  constructor(name: string, args: AttachmentStorageArgs, opts?: pulumi.ComponentResourceOptions) {
    if (!Number.isInteger(args.retentionDays) || args.retentionDays < 1) {
      throw new Error(`attachment retentionDays: a whole number of days ≥ 1 (got ${args.retentionDays})`);
    }
    super('ai-studio:storage:AttachmentStorage', name, {}, opts);
    const parent = { parent: this };

    // Auto-named (`<name>-<random>`): bucket names are global. Deleting the stack leaves a non-empty bucket.
    const bucket = new aws.s3.Bucket(name, { forceDestroy: false }, parent);
    const publicAccess = new aws.s3.BucketPublicAccessBlock(
      `${name}-public-access`,
      {
        bucket: bucket.id,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      },
      parent,
    );
    new aws.s3.BucketOwnershipControls(
      `${name}-ownership`,
      { bucket: bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } },
      parent,
    );
    new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}-encryption`,
      { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }] },
      parent,
    );
    new aws.s3.BucketLifecycleConfiguration(
      `${name}-lifecycle`,
      {
        bucket: bucket.id,
        rules: [
          {
            id: 'expire-attachments',
            status: 'Enabled',
            filter: { prefix: ATTACHMENTS_PREFIX },
            expiration: { days: args.retentionDays + EXPIRY_MARGIN_DAYS },
            abortIncompleteMultipartUpload: { daysAfterInitiation: ABORT_MULTIPART_DAYS },
          },
        ],
      },
      parent,
    );
    // After the public access block: S3 refuses concurrent changes to one bucket's configuration.
    new aws.s3.BucketPolicy(
      `${name}-policy`,
      {
        bucket: bucket.id,
        policy: pulumi.jsonStringify({
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'DenyInsecureTransport',
              Effect: 'Deny',
              Principal: '*',
              Action: 's3:*',
              Resource: [bucket.arn, pulumi.interpolate`${bucket.arn}/*`],
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            },
          ],
        }),
      },
      { parent: this, dependsOn: [publicAccess] },
    );

    this.bucketName = bucket.bucket;
    this.bucketArn = bucket.arn;
    this.region = aws.getRegionOutput({}, parent).region;
    this.accessPolicy = pulumi.jsonStringify({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'AttachmentObjects',
          Effect: 'Allow',
          Action: ['s3:PutObject', 's3:GetObject', 's3:DeleteObject'],
          Resource: pulumi.interpolate`${bucket.arn}/${ATTACHMENTS_PREFIX}*`,
        },
        // Only so that reading a missing object answers 404, not 403 (S3 hides absence from callers that may
        // not list); the app never lists. Limited to the prefix like the rest.
        {
          Sid: 'AttachmentMissingIs404',
          Effect: 'Allow',
          Action: 's3:ListBucket',
          Resource: bucket.arn,
          Condition: { StringLike: { 's3:prefix': `${ATTACHMENTS_PREFIX}*` } },
        },
      ],
    });
    this.registerOutputs({ bucketName: this.bucketName, bucketArn: this.bucketArn });
  }
}
