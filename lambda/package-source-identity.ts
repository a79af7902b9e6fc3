import { createHash } from 'crypto';
import { PackageSpec } from './package-spec';

/*
 * Which file each version of a package came from. The service does not say:
 * UpdatePackage's CommitMessage (what GetPackageVersionHistory shows for each
 * version) carries it, and the first version, made by CreatePackage, which
 * takes no commit message, is recorded in the resource's physical ID. Knowing
 * it lets the handler compare what the stack asks for with the version the
 * service holds, rather than with the previous properties, which on a
 * rollback are the ones that failed.
 */

/** The most UpdatePackage's CommitMessage may hold. */
const MAX_COMMIT_MESSAGE = 160;

const ASSET_HASH = /[0-9a-f]{64}/;

/**
 * The commit message that names the source: `From CDK asset <hash>` for a
 * file asset (its key holds the content's hash), else the S3 location and
 * object version, or a digest of them when that would be too long.
 */
export function sourceCommitMessage(spec: Pick<PackageSpec, 'bucket' | 'key' | 'objectVersion'>): string {
  const hash = ASSET_HASH.exec(spec.key)?.[0];
  if (hash) return `From CDK asset ${hash}`;
  const location = `From s3://${spec.bucket}/${spec.key}${spec.objectVersion ? ` version ${spec.objectVersion}` : ''}`;
  return location.length <= MAX_COMMIT_MESSAGE ? location : `From S3 source sha256:${sourceDigest(location)}`;
}

/** A short digest of a source's commit message, for the physical ID. */
export function sourceDigest(commitMessage: string): string {
  return createHash('sha256').update(commitMessage).digest('hex').slice(0, 16);
}

/**
 * What a CustomPackage's physical ID records. Package names are unique in an
 * account and Region, except that a plugin has one package of its name per
 * engine version, so the name (and for a plugin, the engine version)
 * identifies the package; the physical ID is
 * known before the package exists, which lets onEvent return it without
 * creating anything (CreatePackage runs in isComplete: if the Provider
 * framework fails after onEvent, nothing is left behind).
 */
export interface PackageIdentity {
  readonly packageName: string;
  /** A plugin's engine version. */
  readonly engineVersion?: string;
  /** The digest of the source the package's first version is read from. */
  readonly createdFrom: string;
  /** When a new packageName replaced another package: that package's physical ID, to go back to on rollback. */
  readonly replaces?: string;
}

/** `<name>[ engine:<version>] from:<digest>[ replaces:<the replaced package's own physical ID>]`. */
export function formatPhysicalId(identity: PackageIdentity): string {
  const replaces = identity.replaces?.split(' replaces:')[0];
  const engine = identity.engineVersion ? ` engine:${identity.engineVersion}` : '';
  return `${identity.packageName}${engine} from:${identity.createdFrom}${replaces ? ` replaces:${replaces}` : ''}`;
}

/** Reads a physical ID written by {@link formatPhysicalId}. */
export function parsePhysicalId(physicalId: string): PackageIdentity {
  const [own, replaces] = physicalId.split(' replaces:');
  const [named, createdFrom = ''] = own.split(' from:');
  const [packageName, engineVersion] = named.split(' engine:');
  return { packageName, engineVersion, createdFrom, replaces };
}
