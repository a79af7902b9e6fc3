import { CfnTemplate, dependsOnList } from '../test/local-deploy/cfn-template';
import { withoutDependsOn } from '../test/local-deploy/template-edits';

/**
 * The naive parallel strategy: the synthesised template with every DependsOn
 * between two of the given associations removed (as the local-deploy test of
 * parallel associations does with `withoutDependsOn`), so that CloudFormation
 * starts them all at once. Their other dependencies (the handler's policy) stay.
 */
export function withParallelAssociations(template: CfnTemplate, associations: readonly string[]): CfnTemplate {
  let edited = template;
  for (const id of associations) {
    for (const dependency of dependsOnList(edited.Resources![id])) {
      if (associations.includes(dependency)) edited = withoutDependsOn(edited, id, dependency);
    }
  }
  const left = associations.filter(id => dependsOnList(edited.Resources![id]).some(name => associations.includes(name)));
  if (left.length > 0) throw new Error(`Associations still chained: ${left.join(', ')}`);
  return edited;
}
