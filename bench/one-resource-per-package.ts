import { AssociationStack } from './association-app';
import { CfnTemplate, dependsOnList } from '../test/local-deploy/cfn-template';

/**
 * The designs this library's batching is measured against, made from its own
 * synthesised template: the domain's set split into one resource per package
 * (each a one-package set, the same handler), either chained with DependsOn
 * in construction order (the previous design of this library: one package
 * operation per domain at a time, no ConflictException) or all at once (the
 * naive way, as hand-written custom resources do).
 */
export function withOneResourcePerPackage(app: AssociationStack, chained: boolean): CfnTemplate {
  const template = JSON.parse(JSON.stringify(app.stack.template)) as CfnTemplate & { Resources: Record<string, any> };
  const set = template.Resources[app.domainPackages];
  delete template.Resources[app.domainPackages];
  const [group] = set.Properties.Domains;
  const packages: Array<{ PackageID: string }> = group.Packages;
  packages.forEach((entry, i) => {
    const association = app.associations[app.packageIds.indexOf(entry.PackageID)];
    const dependsOn = dependsOnList(set).filter(id => !app.associations.includes(id) || id === association);
    if (chained && i > 0) dependsOn.push(`${app.domainPackages}Package${i}`);
    template.Resources[`${app.domainPackages}Package${i + 1}`] = {
      ...set, Properties: { ...set.Properties, Domains: [{ ...group, Packages: [entry] }] }, DependsOn: dependsOn,
    };
  });
  return template;
}
