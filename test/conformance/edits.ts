import { AppVersion, AssociationSpec, DomainName, DOMAINS, IMPORTED_PACKAGES, PackageSpec, PackageTypeName, Removal, Target } from './app-spec';

/*
 * The changes a user makes to a stack between two deployments, as data, and
 * their effect on the stack's version. An edit that does not apply to the
 * version (nothing to remove, a package twice on one domain) gives undefined.
 */

export type Edit =
  | { readonly kind: 'add imported association'; readonly domain: DomainName; readonly pkg: number; readonly removal: Removal; readonly label?: string; readonly adopt: boolean }
  | { readonly kind: 'add dictionary'; readonly name: number; readonly domain: DomainName; readonly removal: Removal; readonly packageRemoval: 'DESTROY' | 'RETAIN' }
  | { readonly kind: 'add plugin with licence'; readonly name: number; readonly domain: DomainName; readonly engine: '2.17' | '2.19' }
  | { readonly kind: 'remove association'; readonly index: number }
  | { readonly kind: 'remove package'; readonly index: number }
  | { readonly kind: 'rename association'; readonly index: number }
  | { readonly kind: 'move association'; readonly index: number }
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

/** Two targets name the same package. */
export function sameTarget(a: Target, b: Target): boolean {
  return 'custom' in a ? 'custom' in b && a.custom === b.custom : 'imported' in b && a.imported === b.imported;
}

function at<T>(list: readonly T[], index: number): T | undefined {
  return list.length === 0 ? undefined : list[index % list.length];
}

/** A fresh construct id among the version's. */
function freshId(version: AppVersion, prefix: string): string {
  const taken = new Set([...version.packages.map(p => p.id), ...version.associations.map(a => a.id)]);
  for (let i = 1; ; i++) if (!taken.has(`${prefix}${i}`)) return `${prefix}${i}`;
}

/** Whether the version is one the library accepts: each package once per domain, prerequisites that exist, a license with its plugin. */
function valid(version: AppVersion): boolean {
  const placements = version.associations.map(a => `${a.domain} ${JSON.stringify(a.target)}`);
  const names = version.packages.map(p => p.name);
  const known = (target: Target) => !('custom' in target) || version.packages.some(p => p.id === target.custom);
  // The library refuses an association kept (or adopted) on the domain whose package is deleted with the stack.
  const keptWithItsPackage = (a: AssociationSpec) => (a.removal === 'DESTROY' && !a.adopt) || !('custom' in a.target)
    || version.packages.find(p => 'custom' in a.target && p.id === a.target.custom)?.removal === 'RETAIN';
  // It refuses a license associated without its plugin among the prerequisites (an imported package may be that plugin).
  const typeOf = (target: Target) => ('custom' in target ? version.packages.find(p => p.id === target.custom)?.type : undefined);
  const withItsPlugin = (a: AssociationSpec) => typeOf(a.target) !== 'PACKAGE-LICENSE'
    || a.prerequisites.some(p => typeOf(p) === undefined || typeOf(p) === 'ZIP-PLUGIN');
  return new Set(placements).size === placements.length && new Set(names).size === names.length
    && version.associations.every(a => known(a.target) && a.prerequisites.every(known)
      && !a.prerequisites.some(p => sameTarget(p, a.target)) && keptWithItsPackage(a) && withItsPlugin(a));
}

function association(id: string, domain: DomainName, target: Target, removal: Removal, extra: Partial<AssociationSpec> = {}): AssociationSpec {
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

function changes(edit: Edit, version: AppVersion): AppVersion | undefined {
  switch (edit.kind) {
    case 'add imported association': {
      const target = { imported: IMPORTED_PACKAGES[edit.pkg % IMPORTED_PACKAGES.length] };
      const added = association(freshId(version, 'Imported'), edit.domain, target, edit.removal, { label: edit.label, adopt: edit.adopt });
      return { ...version, associations: [...version.associations, added] };
    }
    case 'add dictionary': {
      const id = freshId(version, 'Dictionary');
      const pkg: PackageSpec = { id, name: `dictionary-${edit.name}`, content: 1, type: 'TXT-DICTIONARY', removal: edit.packageRemoval };
      return { ...version, packages: [...version.packages, pkg], associations: [...version.associations, association(`${id}On`, edit.domain, { custom: id }, edit.removal)] };
    }
    case 'add plugin with licence': {
      const plugin: PackageSpec = { id: freshId(version, 'Plugin'), name: `plugin-${edit.name}`, content: 1, type: 'ZIP-PLUGIN', engine: edit.engine, removal: 'DESTROY' };
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
      return removed && { ...version, associations: version.associations.filter(a => a !== removed) };
    }
    case 'remove package': {
      const removed = at(version.packages, edit.index);
      if (!removed) return undefined;
      const uses = (t: Target) => 'custom' in t && t.custom === removed.id;
      return {
        ...version,
        packages: version.packages.filter(p => p !== removed),
        associations: version.associations.filter(a => !uses(a.target) && !a.prerequisites.some(uses)),
      };
    }
    case 'rename association': return withAssociation(version, edit.index, a => ({ ...a, id: freshId(version, 'Renamed') }));
    case 'move association': return withAssociation(version, edit.index, a => ({ ...a, domain: DOMAINS.find(d => d !== a.domain)! }));
    case 'set label': return withAssociation(version, edit.index, a => ('imported' in a.target && a.label !== edit.label ? { ...a, label: edit.label } : undefined));
    case 'toggle prerequisite': return withAssociation(version, edit.index, a => {
      const prerequisite = { imported: 'imported' in a.target && a.target.imported === IMPORTED_PACKAGES[2] ? IMPORTED_PACKAGES[1] : IMPORTED_PACKAGES[2] };
      const has = a.prerequisites.some(p => sameTarget(p, prerequisite));
      return { ...a, prerequisites: has ? a.prerequisites.filter(p => !sameTarget(p, prerequisite)) : [...a.prerequisites, prerequisite] };
    });
    case 'toggle key store': return withAssociation(version, edit.index, a => ({ ...a, keyStore: !a.keyStore }));
    case 'set association removal': return withAssociation(version, edit.index, a => (a.removal === edit.removal ? undefined : { ...a, removal: edit.removal }));
    case 'set timeout': return withAssociation(version, edit.index, a => ({ ...a, timeoutSeconds: edit.seconds }));
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
