import {
  AppVersion, AssociationSpec, AWS_PACKAGES, awsPackageId, awsPackageNameOf, DomainKey, DOMAINS, DomainSpelling, IMPORTED_PACKAGES,
  NEAR_DOMAINS, PackageSpec, PackageTypeName, Removal, Target,
} from './app-spec';

/*
 * The changes a user makes to a stack between two deployments, as data, and
 * their effect on the stack's version. An edit that does not apply to the
 * version (nothing to remove, a package twice on one domain) gives undefined.
 */

export type Edit =
  | { readonly kind: 'add imported association'; readonly domain: DomainKey; readonly pkg: number; readonly removal: Removal; readonly label?: string; readonly adopt: boolean }
  | { readonly kind: 'add aws association'; readonly domain: DomainKey; readonly pkg: number; readonly byName: boolean; readonly removal: Removal; readonly adopt: boolean }
  | { readonly kind: 'add dictionary'; readonly name: number; readonly domain: DomainKey; readonly removal: Removal; readonly packageRemoval: 'DESTROY' | 'RETAIN' }
  | { readonly kind: 'add plugin with licence'; readonly name: number; readonly domain: DomainKey; readonly engine: '2.17' | '2.19' }
  | { readonly kind: 'remove association'; readonly index: number }
  | { readonly kind: 'remove package'; readonly index: number }
  | { readonly kind: 'redeclare retired'; readonly index: number }
  | { readonly kind: 'rename association'; readonly index: number }
  | { readonly kind: 'move association'; readonly index: number }
  | { readonly kind: 'respell package'; readonly index: number }
  | { readonly kind: 'respell domain'; readonly domain: DomainKey; readonly spelling: DomainSpelling }
  | { readonly kind: 'set label'; readonly index: number; readonly label: string }
  | { readonly kind: 'toggle prerequisite'; readonly index: number }
  | { readonly kind: 'toggle key store'; readonly index: number }
  | { readonly kind: 'set association removal'; readonly index: number; readonly removal: Removal }
  | { readonly kind: 'set timeout'; readonly index: number; readonly seconds: number }
  | { readonly kind: 'toggle adopt'; readonly index: number }
  | { readonly kind: 'edit file'; readonly index: number }
  | { readonly kind: 'rename package'; readonly index: number }
  | { readonly kind: 'change package type'; readonly index: number }
  | { readonly kind: 'change engine version'; readonly index: number }
  | { readonly kind: 'set package removal'; readonly index: number; readonly removal: 'DESTROY' | 'RETAIN' };

/**
 * Edits that change only how the stack names things, or what CloudFormation
 * does with them on removal: the service must see no change at all (I6).
 */
export const NO_SERVICE_CHANGE: ReadonlySet<Edit['kind']> = new Set<Edit['kind']>([
  'rename association', 'respell package', 'respell domain', 'set association removal', 'set timeout', 'toggle adopt', 'set package removal',
]);

/** How many removed associations a version remembers for `redeclare retired`. */
const RETIRED_KEPT = 4;

/** What a target is, whatever its spelling: a CustomPackage of the version, or a package ID (an AWS name is its ID). */
export function targetIdentity(target: Target): string {
  if ('custom' in target) return `custom ${target.custom}`;
  return 'aws' in target ? awsPackageId(target.aws) : target.imported;
}

/** Two targets name the same package, however they spell it. */
export function sameTarget(a: Target, b: Target): boolean {
  return targetIdentity(a) === targetIdentity(b);
}

function at<T>(list: readonly T[], index: number): T | undefined {
  return list.length === 0 ? undefined : list[index % list.length];
}

/** A fresh construct id among the version's. */
/** The first `<prefix><n>` no package or association of the version uses, nor any of its `companions` (`<prefix><n><companion>`). */
function freshId(version: AppVersion, prefix: string, companions: readonly string[] = []): string {
  const taken = new Set([...version.packages.map(p => p.id), ...version.associations.map(a => a.id)]);
  for (let i = 1; ; i++) if ([`${prefix}${i}`, ...companions.map(c => `${prefix}${i}${c}`)].every(id => !taken.has(id))) return `${prefix}${i}`;
}

/**
 * Whether the version is one the library accepts: each package once per
 * domain, prerequisites that exist, a stack's own packages only on domains of
 * its Region, a package kept on a domain only if it is kept too, a license
 * with its plugin.
 */
function valid(version: AppVersion): boolean {
  const placements = version.associations.map(a => `${a.domain} ${targetIdentity(a.target)}`);
  const names = version.packages.map(p => p.name);
  const known = (target: Target) => !('custom' in target) || version.packages.some(p => p.id === target.custom);
  const near = (a: AssociationSpec) => NEAR_DOMAINS.includes(a.domain) || ![a.target, ...a.prerequisites].some(t => 'custom' in t);
  // The library refuses an association kept (or adopted) on the domain whose package is deleted with the stack.
  const keptWithItsPackage = (a: AssociationSpec) => (a.removal === 'DESTROY' && !a.adopt) || !('custom' in a.target)
    || version.packages.find(p => 'custom' in a.target && p.id === a.target.custom)?.removal === 'RETAIN';
  // It refuses a license associated without its plugin among the prerequisites (an imported package may be that plugin).
  const typeOf = (target: Target) => ('custom' in target ? version.packages.find(p => p.id === target.custom)?.type : undefined);
  const withItsPlugin = (a: AssociationSpec) => typeOf(a.target) !== 'PACKAGE-LICENSE'
    || a.prerequisites.some(p => typeOf(p) === undefined || typeOf(p) === 'ZIP-PLUGIN');
  return new Set(placements).size === placements.length && new Set(names).size === names.length
    && version.associations.every(a => known(a.target) && a.prerequisites.every(known) && near(a)
      && !a.prerequisites.some(p => sameTarget(p, a.target)) && keptWithItsPackage(a) && withItsPlugin(a));
}

function association(id: string, domain: DomainKey, target: Target, removal: Removal, extra: Partial<AssociationSpec> = {}): AssociationSpec {
  return { id, domain, target, prerequisites: [], keyStore: false, removal, adopt: false, ...extra };
}

function replaceAt<T>(list: readonly T[], index: number, change: (item: T) => T | undefined): T[] | undefined {
  if (list.length === 0) return undefined;
  const i = index % list.length;
  const changed = change(list[i]);
  return changed === undefined ? undefined : [...list.slice(0, i), changed, ...list.slice(i + 1)];
}

function withAssociation(version: AppVersion, index: number, change: (a: AssociationSpec) => AssociationSpec | undefined): AppVersion | undefined {
  const associations = replaceAt(version.associations, index, change);
  return associations && { ...version, associations };
}

function withPackage(version: AppVersion, index: number, change: (p: PackageSpec) => PackageSpec | undefined): AppVersion | undefined {
  const packages = replaceAt(version.packages, index, change);
  return packages && { ...version, packages };
}

/** The version without these associations, which it remembers as retired. */
function retire(version: AppVersion, removed: readonly AssociationSpec[]): AppVersion {
  return {
    ...version,
    associations: version.associations.filter(a => !removed.includes(a)),
    retired: [...version.retired, ...removed].slice(-RETIRED_KEPT),
  };
}

/** The other spelling of a package AWS provides: its AWS name for its ID, its ID for its name. */
function respelled(target: Target): Target | undefined {
  if ('aws' in target) return { imported: awsPackageId(target.aws) };
  const name = 'imported' in target ? awsPackageNameOf(target.imported) : undefined;
  return name && { aws: name };
}

function changes(edit: Edit, version: AppVersion): AppVersion | undefined {
  switch (edit.kind) {
    case 'add imported association': {
      const target = { imported: IMPORTED_PACKAGES[edit.pkg % IMPORTED_PACKAGES.length] };
      const added = association(freshId(version, 'Imported'), edit.domain, target, edit.removal, { label: edit.label, adopt: edit.adopt });
      return { ...version, associations: [...version.associations, added] };
    }
    case 'add aws association': {
      const name = AWS_PACKAGES[edit.pkg % AWS_PACKAGES.length];
      const target: Target = edit.byName ? { aws: name } : { imported: awsPackageId(name) };
      const added = association(freshId(version, 'Provided'), edit.domain, target, edit.removal, { adopt: edit.adopt });
      return { ...version, associations: [...version.associations, added] };
    }
    case 'add dictionary': {
      const id = freshId(version, 'Dictionary');
      const pkg: PackageSpec = { id, name: `dictionary-${edit.name}`, content: 1, type: 'TXT-DICTIONARY', removal: edit.packageRemoval };
      return { ...version, packages: [...version.packages, pkg], associations: [...version.associations, association(`${id}On`, edit.domain, { custom: id }, edit.removal)] };
    }
    case 'add plugin with licence': {
      const plugin: PackageSpec = { id: freshId(version, 'Plugin', ['Licence']), name: `plugin-${edit.name}`, content: 1, type: 'ZIP-PLUGIN', engine: edit.engine, removal: 'DESTROY' };
      const licence: PackageSpec = { id: `${plugin.id}Licence`, name: `plugin-${edit.name}-licence`, content: 1, type: 'PACKAGE-LICENSE', removal: 'DESTROY' };
      return {
        ...version,
        packages: [...version.packages, plugin, licence],
        associations: [...version.associations,
          association(`${licence.id}On`, edit.domain, { custom: licence.id }, 'DESTROY', { prerequisites: [{ custom: plugin.id }] }),
          association(`${plugin.id}On`, edit.domain, { custom: plugin.id }, 'DESTROY')],
      };
    }
    case 'remove association': {
      const removed = at(version.associations, edit.index);
      return removed && retire(version, [removed]);
    }
    case 'remove package': {
      const removed = at(version.packages, edit.index);
      if (!removed) return undefined;
      const uses = (t: Target) => 'custom' in t && t.custom === removed.id;
      const leaving = retire(version, version.associations.filter(a => uses(a.target) || a.prerequisites.some(uses)));
      return { ...leaving, packages: version.packages.filter(p => p !== removed) };
    }
    case 'redeclare retired': {
      const again = at(version.retired, edit.index);
      if (!again) return undefined;
      const id = version.associations.some(a => a.id === again.id) ? freshId(version, 'Again') : again.id;
      return { ...version, associations: [...version.associations, { ...again, id }], retired: version.retired.filter(a => a !== again) };
    }
    case 'rename association': return withAssociation(version, edit.index, a => ({ ...a, id: freshId(version, 'Renamed') }));
    case 'move association': return withAssociation(version, edit.index, a => ({ ...a, domain: DOMAINS[(DOMAINS.indexOf(a.domain) + 1) % DOMAINS.length] }));
    case 'respell package': return withAssociation(version, edit.index, a => {
      const target = respelled(a.target);
      return target && { ...a, target };
    });
    case 'respell domain': return (version.spellings[edit.domain] ?? 'literal') === edit.spelling ? undefined
      : { ...version, spellings: { ...version.spellings, [edit.domain]: edit.spelling } };
    case 'set label': return withAssociation(version, edit.index, a => (!('custom' in a.target) && a.label !== edit.label ? { ...a, label: edit.label } : undefined));
    case 'toggle prerequisite': return withAssociation(version, edit.index, a => {
      const prerequisite = { imported: 'imported' in a.target && a.target.imported === IMPORTED_PACKAGES[2] ? IMPORTED_PACKAGES[1] : IMPORTED_PACKAGES[2] };
      const has = a.prerequisites.some(p => sameTarget(p, prerequisite));
      return { ...a, prerequisites: has ? a.prerequisites.filter(p => !sameTarget(p, prerequisite)) : [...a.prerequisites, prerequisite] };
    });
    case 'toggle key store': return withAssociation(version, edit.index, a => ({ ...a, keyStore: !a.keyStore }));
    case 'set association removal': return withAssociation(version, edit.index, a => (a.removal === edit.removal ? undefined : { ...a, removal: edit.removal }));
    case 'set timeout': return withAssociation(version, edit.index, a => (a.timeoutSeconds === edit.seconds ? undefined : { ...a, timeoutSeconds: edit.seconds }));
    case 'toggle adopt': return withAssociation(version, edit.index, a => ({ ...a, adopt: !a.adopt }));
    case 'edit file': return withPackage(version, edit.index, p => ({ ...p, content: p.content + 1 }));
    case 'rename package': return withPackage(version, edit.index, p => ({ ...p, name: `${p.name.replace(/-r\d+$/, '')}-r${version.revision + 1}` }));
    case 'change package type': return withPackage(version, edit.index, p => {
      const other: Partial<Record<PackageTypeName, PackageTypeName>> = { 'TXT-DICTIONARY': 'PACKAGE-LICENSE', 'PACKAGE-LICENSE': 'TXT-DICTIONARY' };
      return other[p.type] && { ...p, type: other[p.type]! };
    });
    case 'change engine version': return withPackage(version, edit.index, p => (p.engine ? { ...p, engine: p.engine === '2.17' ? '2.19' : '2.17' } : undefined));
    case 'set package removal': return withPackage(version, edit.index, p => (p.removal === edit.removal ? undefined : { ...p, removal: edit.removal }));
  }
}

/** The next version of the stack after the edit, or undefined when the edit does not apply or gives a version the library refuses at synth. */
export function applyEdit(version: AppVersion, edit: Edit): AppVersion | undefined {
  const next = changes(edit, version);
  return next && valid(next) ? { ...next, revision: version.revision + 1 } : undefined;
}

/** A version with every association's timeout set (undefined: the default). */
export function withTimeouts(version: AppVersion, seconds: number | undefined): AppVersion {
  return { ...version, associations: version.associations.map(a => ({ ...a, timeoutSeconds: seconds })) };
}
