import { createHash } from 'crypto';

/*
 * The mark that says which resource of which stack created a package: the
 * service keeps no owner of its own for packages of one account, and package
 * names are unique, so two stacks that create a package of the same name at
 * the same moment both meet it afterwards. The mark, written into the
 * package's description by CreatePackage (the only free text it takes) and
 * kept by every UpdatePackage, is what only this resource can have written:
 * a package is this resource's when its mark is this resource's.
 */

/** The resource a package belongs to: its stack and logical ID, and the token derived from them that the mark carries. */
export interface PackageOwner {
  readonly stackName: string;
  readonly logicalId: string;
  /** A digest of the stack's ARN (which holds a unique ID) and the logical ID. */
  readonly token: string;
}

/** The longest the mark may be, with the newline before it: what the description's 1024 characters keep for it. */
export const MARK_LENGTH = 224;

const MARK = /\(managed by (?:stack (\S+)(?:, resource (\S+))?, )?mark ([0-9a-f]{16})\)$/;

/** The owner of the packages the resource creates. */
export function ownerOf(event: { readonly StackId: string; readonly LogicalResourceId: string }): PackageOwner {
  const token = createHash('sha256').update(`${event.StackId}/${event.LogicalResourceId}`).digest('hex').slice(0, 16);
  return { stackName: event.StackId.split('/')[1] ?? '', logicalId: event.LogicalResourceId, token };
}

function markOf(owner: PackageOwner): string {
  for (const names of [`stack ${owner.stackName}, resource ${owner.logicalId}, `, `stack ${owner.stackName}, `, '']) {
    const mark = `(managed by ${names}mark ${owner.token})`;
    if (mark.length < MARK_LENGTH) return mark;
  }
  throw new Error('unreachable: the shortest mark fits');
}

/** The description the package gets: the stack's own, then the mark on a line of its own. */
export function markedDescription(description: string | undefined, owner: PackageOwner): string {
  return description ? `${description}\n${markOf(owner)}` : markOf(owner);
}

/** The owner a package's description names, as far as it names one; undefined when it carries no mark. */
export function markedOwner(description: string | undefined): Partial<PackageOwner> & { readonly token: string } | undefined {
  const match = MARK.exec(description ?? '');
  return match ? { stackName: match[1], logicalId: match[2], token: match[3] } : undefined;
}

/** Whether the package was created by this resource. */
export function isMarkedBy(description: string | undefined, owner: PackageOwner): boolean {
  return markedOwner(description)?.token === owner.token;
}

/** Who created the package, for a failure reason. */
export function describeOwner(description: string | undefined): string {
  const owner = markedOwner(description);
  if (!owner) return 'its description carries no mark of this library: it was made by hand or by another tool';
  return owner.stackName ? `stack ${owner.stackName}${owner.logicalId ? ` (resource ${owner.logicalId})` : ''} created it` : `another stack created it (mark ${owner.token})`;
}
