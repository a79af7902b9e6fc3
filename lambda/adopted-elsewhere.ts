import { log } from './log';
import { formatRecordId } from './ownership-record';
import { orUnreadable, StackApi } from './stack-api';
import { PACKAGE_ASSOCIATION_RESOURCE_TYPE } from '../lib/package-association-properties';

/*
 * Another stack that adopted an association (`adoptExisting`) still declares
 * it: the stack that made it leaves it on the domain when it lets it go, so
 * that no stack removes an association another one still declares. The
 * service records no owner of an association; CloudFormation knows which
 * stack holds an ownership record: DescribeStackResources finds a resource by
 * its physical ID, which names the association.
 */

/**
 * The ID of another stack whose ownership record adopted the association
 * (`<account>/<region>/<domain>/<package>`), in the Region of this stack or
 * of the domain; undefined when none does, or when CloudFormation cannot tell
 * (the stack then removes what it made, as it would without adopters).
 */
export async function adoptedElsewhere(stack: StackApi, stackId: string, association: string): Promise<string | undefined> {
  const physicalId = formatRecordId({ association, ownership: 'adopted' });
  const regions = [...new Set([stackId.split(':')[3], association.split('/')[1]])];
  for (const region of regions) {
    const held = await orUnreadable('the records of other stacks', () => stack.holderOf(region, physicalId));
    if (held === 'unreadable' || !held) continue;
    const live = !held.status.startsWith('DELETE_') && held.status !== 'CREATE_FAILED';
    if (held.resourceType === PACKAGE_ASSOCIATION_RESOURCE_TYPE && held.stackId !== stackId && live) {
      log('leaving the package on the domain: another stack adopted this association and still declares it', { association, stackId: held.stackId });
      return held.stackId;
    }
  }
  return undefined;
}
