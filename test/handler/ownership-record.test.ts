import {
  associationIdentity, formatRecordId, isOwned, OwnershipRecord, packageKey, parseRecordId,
} from '../../lambda/ownership-record';

const association = '123456789012/eu-west-1/alpha-domain/123456789012:product-synonyms';
const moved = '123456789012/us-east-1/beta-domain/AWS:analysis-sudachi';

describe('an association\'s identity', () => {
  test('the package by its owner and name, however the template names it; by its ID when the service does not know it', () => {
    expect(packageKey({ PackageOwner: '123456789012', PackageName: 'product-synonyms' }, 'F1')).toBe('123456789012:product-synonyms');
    expect(packageKey({ PackageOwner: 'AWS', PackageName: 'analysis-sudachi' }, 'G2')).toBe('AWS:analysis-sudachi');
    expect(packageKey({ PackageName: 'product-synonyms' }, 'F1')).toBe('self:product-synonyms');
    expect(packageKey({ PackageOwner: 'AWS' }, 'F1')).toBe('id:F1');
    expect(packageKey(undefined, 'F1')).toBe('id:F1');
  });

  test('the domain by account, Region and name', () => {
    expect(associationIdentity({ account: '123456789012', region: 'eu-west-1', domainName: 'alpha-domain' }, '123456789012:product-synonyms'))
      .toBe(association);
  });
});

describe('the record\'s physical ID', () => {
  test.each<[OwnershipRecord['ownership'], string]>([
    ['owned', association],
    ['kept', `${association} (kept)`],
    ['adopted', `${association} (adopted)`],
    ['unverified', `${association} (unverified)`],
  ])('%s: written with its suffix, and read back', (ownership, physicalId) => {
    expect(formatRecordId({ association, ownership })).toBe(physicalId);
    expect(parseRecordId(physicalId)).toEqual({ association, ownership, was: undefined });
  });

  test('a record moved from another association names it, with its ownership there, and reads it back', () => {
    const physicalId = formatRecordId({ association, ownership: 'owned', was: `${moved} (adopted)` });
    expect(physicalId).toBe(`${association} was:${moved} (adopted)`);
    expect(parseRecordId(physicalId)).toEqual({ association, ownership: 'owned', was: `${moved} (adopted)` });
    expect(formatRecordId({ association, ownership: 'kept', was: moved })).toBe(`${association} (kept) was:${moved}`);
  });

  test('a move keeps only the last association moved from, not the whole chain', () => {
    const once = formatRecordId({ association: moved, ownership: 'adopted', was: association });
    expect(formatRecordId({ association, ownership: 'owned', was: once })).toBe(`${association} was:${moved} (adopted)`);
  });

  test('a previous ID of another format is kept as it is, and claims nothing', () => {
    expect(formatRecordId({ association, ownership: 'owned', was: 'failed-create-marker' })).toBe(`${association} was:failed-create-marker (unverified)`);
  });

  test.each([
    undefined, 42, '', 'F1@alpha-domain', 'failed-create-marker',
    '12345678901/eu-west-1/alpha-domain/x:y', '123456789012/EU-WEST-1/alpha-domain/x:y', '123456789012/eu-west-1/1domain/x:y',
    `${association} (owned)`, `${association} (kept)(adopted)`, `F1@${association}`,
  ])('anything else is no record: %p', physicalId => {
    expect(parseRecordId(physicalId)).toBeUndefined();
  });
});

describe('isOwned: whether removing it from the stack takes it off the domain', () => {
  test('owned and kept are the stack\'s; adopted, unverified and no record are not', () => {
    expect(isOwned({ association, ownership: 'owned' })).toBe(true);
    expect(isOwned({ association, ownership: 'kept' })).toBe(true);
    expect(isOwned({ association, ownership: 'adopted' })).toBe(false);
    expect(isOwned({ association, ownership: 'unverified' })).toBe(false);
    expect(isOwned(undefined)).toBe(false);
  });
});
