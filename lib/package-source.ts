import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import { Construct } from 'constructs';

/**
 * Where OpenSearch Service reads a package's content from.
 */
export interface PackageSourceConfig {
  /** The bucket holding the package file. */
  readonly bucket: s3.IBucket;
  /** The object key of the package file. */
  readonly key: string;
  /**
   * The object version, when the source names one. OpenSearch always reads
   * the current object under the key; the version serves as a trigger: a new
   * version updates the package.
   *
   * @default - no version
   */
  readonly objectVersion?: string;
}

/**
 * The content of a custom package: a file in your repository, uploaded as an
 * asset, or an object already in S3.
 */
export abstract class PackageSource {
  /**
   * A file (or a folder, zipped) from your repository, uploaded as a CDK asset
   * when you deploy. Editing the file and deploying again updates the package.
   *
   * @param path the file or folder
   */
  public static fromAsset(path: string, options: s3assets.AssetOptions = {}): PackageSource {
    return new AssetPackageSource(path, options);
  }

  /**
   * An object already in S3.
   *
   * @param bucket the bucket
   * @param key the object key
   * @param objectVersion a version of the object; changing it updates the package
   */
  public static fromBucket(bucket: s3.IBucket, key: string, objectVersion?: string): PackageSource {
    return new BucketPackageSource({ bucket, key, objectVersion });
  }

  /**
   * Called by CustomPackage to find the S3 location.
   */
  public abstract bind(scope: Construct): PackageSourceConfig;

  /**
   * The local file or folder the source uploads, which CustomPackage reads at
   * synth time to check the package's content; undefined for a source in S3.
   *
   * @internal
   */
  public _localPath(): string | undefined {
    return undefined;
  }
}

class AssetPackageSource extends PackageSource {
  private asset?: s3assets.Asset;

  public constructor(private readonly path: string, private readonly options: s3assets.AssetOptions) {
    super();
  }

  public bind(scope: Construct): PackageSourceConfig {
    this.asset ??= new s3assets.Asset(scope, 'Source', { ...this.options, path: this.path });
    return { bucket: this.asset.bucket, key: this.asset.s3ObjectKey };
  }

  /** @internal */
  public _localPath(): string {
    return this.path;
  }
}

class BucketPackageSource extends PackageSource {
  public constructor(private readonly config: PackageSourceConfig) {
    super();
  }

  public bind(): PackageSourceConfig {
    return this.config;
  }
}
